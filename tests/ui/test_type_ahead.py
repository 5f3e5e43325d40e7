"""Keys typed straight after Ctrl+S belong to the next question: they are neither added to the
answer just given nor lost while the next question's widget is being made."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import TextArea

from coach.session import transcript
from coach.ui.app import make_app


def burst(app, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Keys as a fast typist (or a paste into the terminal) delivers them: all queued at once."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_keys_typed_right_after_ctrl_s_go_to_the_next_question(real_home: Path) -> None:
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"Netwerk A")
        first = app.screen.session.current.node.id
        burst(app, "ctrl+s", *"Het zorgnetwerk")
        await pilot.pause()
        await pilot.pause()
        saved = {a["question"]: a["value"] for a in transcript.load(app.screen.session.path)["answers"]}
        assert saved[first] == "Netwerk A", "nothing typed after Ctrl+S joined the answer"
        assert app.screen.session.current.node.id != first or app.screen.session.current.kind == "probe"
        assert app.screen.query_one("#answer").query_one(TextArea).text == "Het zorgnetwerk", "and nothing was lost"
