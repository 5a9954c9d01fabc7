"""Policies, one module per family, each registering its classes in a :mod:`registry`.

This package's ``__init__`` imports nothing, so importing :mod:`sim.policies.registry`
(as the config schema does) does not import the policy modules, which import the schema.
Import a family's registry from its module (``from sim.policies.discipline import
DISCIPLINES``); :mod:`sim.config.loading` imports every policy module.
"""
