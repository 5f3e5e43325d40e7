"""The first screen's text box before Textual's TextArea is there: what is typed is kept and handed over."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import TextArea

from coach.engine.model import Node
from coach.ui.widgets.answers.text import StandIn, TextAnswer

NODE = Node(id="netwerk", type="text", text="Over welk netwerk?", line=1)


class NotYetPainted(Screen[None]):
    """A screen that, like CoachScreen before its first frame, keeps work for after it."""

    def __init__(self, previous: str | None) -> None:
        super().__init__()
        self.previous = previous
        self.waiting: list[Callable[[], object]] = []
        self.painted = False

    def after_paint(self, callback: Callable[[], object]) -> None:
        self.waiting.append(callback)

    def compose(self) -> ComposeResult:
        yield TextAnswer(NODE, self.previous)


class Host(App[None]):
    def __init__(self, previous: str | None = None) -> None:
        super().__init__()
        self.previous = previous

    def on_mount(self) -> None:
        self.push_screen(NotYetPainted(self.previous))


async def test_typing_before_the_text_area_is_there_is_kept_and_handed_over() -> None:
    app = Host(previous="Het netwerk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NotYetPainted)
        answer = screen.query_one(TextAnswer)
        assert not screen.query(TextArea) and screen.waiting, "a stand-in first; the TextArea waits for the frame"
        screen.query_one(StandIn).focus()
        await pilot.press(*" dementie", "enter", *"[b]x[/b]", "backspace")
        assert answer.value() == "Het netwerk dementie\n[b]x[/b"
        screen.query_one(StandIn).post_message(events.Paste(" en\r\nwonen"))
        await pilot.pause()
        assert answer.value() == "Het netwerk dementie\n[b]x[/b en\nwonen", "a paste is kept too"
        assert "[b]x[/b" in str(screen.query_one(StandIn).render()), "shown literally, not as markup"
        for callback in screen.waiting:
            callback()
        await pilot.pause()
        area = screen.query_one(TextArea)
        assert not screen.query(StandIn) and area.has_focus
        assert area.text == "Het netwerk dementie\n[b]x[/b en\nwonen" and answer.value() == area.text
        await pilot.press(*" zorg")
        assert answer.value() == "Het netwerk dementie\n[b]x[/b en\nwonen zorg", "typing goes on at the end"


async def test_a_screen_already_on_the_terminal_gets_the_text_area_at_once() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.painted = True  # type: ignore[attr-defined]
        await app.screen.query_one(TextAnswer).remove()
        await app.screen.mount(TextAnswer(NODE, None))
        await pilot.pause()
        assert app.screen.query(TextArea) and not app.screen.query(StandIn)
