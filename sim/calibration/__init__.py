"""Calibration from real data: read a contact log, estimate the scenario's parameters with
their uncertainty (``countersim fit``), and compare a scenario with the log it came from
(``countersim validate``). Never imported by the model."""
