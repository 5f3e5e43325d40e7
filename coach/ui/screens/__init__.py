"""Screens: home (the praatplaat), dialogue, summary, help, and small modals."""
