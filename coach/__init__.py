"""Netwerkcoach: a rule-based reflective coaching assistant for the terminal."""

__version__ = "0.1.0"
