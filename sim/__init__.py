"""countersim: discrete-event simulation of customer-service counters."""

__version__ = "0.1.0"
