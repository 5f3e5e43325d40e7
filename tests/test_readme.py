"""The README's key table says what the app does: every declared action is in it."""

from __future__ import annotations

from coach.ui.actions import APP_ACTIONS, DIALOGUE_ACTIONS, HOME_ACTIONS, SUMMARY_ACTIONS, VINDPLAATS_ACTIONS
from conftest import ROOT


def test_every_action_is_in_the_readme_key_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for action in (*APP_ACTIONS, *HOME_ACTIONS, *DIALOGUE_ACTIONS, *SUMMARY_ACTIONS, *VINDPLAATS_ACTIONS):
        assert f"| `{action.key}` | {action.label} | {action.help} |" in readme, action.name
