"""File paths on screen break after a '/' or '-', never in the middle of a name: at 80
columns a session's path filled two lines and was cut inside its file name."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from coach.engine.library import load_theme
from coach.session.session import Session
from coach.ui.app import make_app
from coach.ui.widgets.path_text import broken_path

SESSION = "20261124-015711-ego-eco-governance-e2e4"


def test_a_path_breaks_after_its_separators() -> None:
    path = "/home/anna/.local/share/netwerkcoach/sessions/20261124-015711-ego-eco-governance-e2e4.yaml"
    lines = broken_path(path, 31).split("\n")
    assert lines == ["/home/anna/.local/share/", "netwerkcoach/sessions/20261124-", "015711-ego-eco-governance-",
                     "e2e4.yaml"]
    assert all(len(line) <= 31 for line in lines)


def test_the_first_line_leaves_room_for_the_words_before_it() -> None:
    assert broken_path("/data/sessions/a-b.yaml", 20, first=20 - len("Bewaard in ")) == "/data/\nsessions/a-b.yaml"
    assert broken_path("/verylongfoldername/x", 20, first=3) == "/\nverylongfoldername/x"
    assert broken_path("/verylongfoldername/x", 30, first=0) == "\n/verylongfoldername/x", "no room: a new line"


def test_a_name_longer_than_a_line_is_cut_and_nothing_is_lost() -> None:
    path = "/srv/" + "x" * 45 + ".yaml"
    lines = broken_path(path, 20).split("\n")
    assert "".join(lines) == path and all(len(line) <= 20 for line in lines)
    assert broken_path("C:\\Users\\anna\\sessies\\a-b.yaml", 12) == "C:\\Users\\\nanna\\\nsessies\\a-\nb.yaml"


def test_no_width_yet_leaves_the_path_whole() -> None:
    assert broken_path("/a/b-c", 0) == "/a/b-c"


async def test_a_session_path_on_the_home_screen_breaks_between_names(real_home: Path) -> None:
    path = real_home / "sessions" / f"{SESSION}.yaml"
    session = Session.start(load_theme("ego-eco-governance"), None, path=path, session_id=SESSION)
    session.save()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        detail = app.screen.query_one("#session-text", Static)
        lines = str(detail.render()).split("\n")
        path_lines = lines[: lines.index("")]
        assert "".join(path_lines) == str(path), "the whole path, in order"
        breaks = [sum(len(line) for line in path_lines[: i + 1]) for i in range(len(path_lines) - 1)]
        name_starts = len(str(path)) - len(path.name)
        in_name = [b for b in breaks if b > name_starts]
        assert in_name and all(str(path)[b - 1] == "-" for b in in_name), path_lines
        assert all(len(line) <= detail.content_region.width for line in path_lines)

        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        wider = str(detail.render()).split("\n")
        assert len(wider[: wider.index("")]) < len(path_lines), "wider, fewer lines"
