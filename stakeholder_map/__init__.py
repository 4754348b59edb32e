"""Stakeholder Map: who influences whom, who should champion a change, and how buy-in spreads."""

__version__ = "0.1.0"
