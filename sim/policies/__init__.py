"""Registered policies, one module per family. Importing this package registers them all."""

from sim.policies.acknowledgment import ACKNOWLEDGMENT
from sim.policies.balking import BALKING
from sim.policies.discipline import DISCIPLINES
from sim.policies.phone_handling import PHONE_HANDLING

__all__ = ["ACKNOWLEDGMENT", "BALKING", "DISCIPLINES", "PHONE_HANDLING"]
