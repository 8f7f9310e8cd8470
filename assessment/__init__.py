"""CD Coach: continuous-delivery maturity assessment and coaching."""

__version__ = "0.1.0"
