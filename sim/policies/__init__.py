"""Registered policies, one module per family. Importing this package registers them all."""

from sim.policies.acknowledgment import ACKNOWLEDGMENT
from sim.policies.balking import BALKING
from sim.policies.discipline import DISCIPLINES
from sim.policies.phone_handling import PHONE_HANDLING
from sim.policies.staff_rules import CHAT_AT_COUNTER, PERSONAL_PHONES

__all__ = ["ACKNOWLEDGMENT", "BALKING", "CHAT_AT_COUNTER", "DISCIPLINES", "PERSONAL_PHONES",
           "PHONE_HANDLING"]
