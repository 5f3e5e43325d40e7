"""Widgets: they show and report (messages up); routing and saving live in the session."""
