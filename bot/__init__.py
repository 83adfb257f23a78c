"""Nudge: continuous team learning inside Slack."""

__version__ = "0.1.0"
