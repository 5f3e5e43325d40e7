"""Opening the app from the command line, with start-up kept lean.

Imported by the CLI before anything of Textual: it imports nothing heavy itself.
"""

from __future__ import annotations

import gc
from typing import Any


def launch_app(**options: Any) -> int:
    """Run the app in this terminal; returns the exit code.

    Start-up builds hundreds of thousands of objects (Textual, the dialogue) and no
    garbage cycles, yet the cyclic collector would run about a hundred times before the
    first question is drawn. It is paused until then: the app turns it back on and
    freezes what start-up made (``CoachApp.started``), or this does when the app ends.
    """
    gc.disable()
    try:
        from coach.ui.app import run_app

        return run_app(**options)
    finally:
        gc.enable()
