"""`mes-ai chat`: the terminal loop on the real chat service."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console

from assistant.chat import ChatService
from assistant.cli.app import app
from assistant.cli.commands_chat import ChatSession
from tests.assistant.chat.conftest import fresh


def run(
    chat: ChatService, lines: list[str], width: int = 120, soft_wrap: bool = False
) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    console = Console(file=out, width=width, soft_wrap=soft_wrap)
    session = ChatSession(chat, "local", console, Console(file=err, width=120))
    feed: Iterator[str] = iter(lines)

    def read(prompt: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    session.run(read)
    return out.getvalue(), err.getvalue()


def test_a_draft_is_made_over_two_turns_and_saved_on_request(
    chat: ChatService, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "maria.docx"
    out, err = run(
        chat,
        [
            fresh(
                "session log for Maria today: 3x12 wall push-ups, BP 126/80 before, 134/82 after"
            ),
            fresh("Dr. Alan Patel, orthopedic surgery; right total knee replacement"),
            f"/save {target}",
            "/save",
            str(tmp_path / "maria.md"),
            "/quit",
            "never read",
        ],
    )
    assert err == ""
    assert "referring physician" in out and "Session log" in out
    assert target.read_bytes()[:2] == b"PK"
    assert "126/80" in (tmp_path / "maria.md").read_text()
    assert f"wrote {target}" in out


def test_errors_are_single_error_lines(chat: ChatService, tmp_path: Path) -> None:
    out, err = run(
        chat, ["/save x.md", "/frobnicate", "x" * 5000, "hello", f"/save {tmp_path}/a.txt", "/new"]
    )
    lines = err.strip().splitlines()
    assert len(lines) == 4 and all(line.startswith("error: ") for line in lines)
    assert "no draft" in lines[0] and "unknown command" in lines[1]
    assert "longer than" in lines[2] and ".txt" in lines[3]
    assert "Traceback" not in out + err and "New conversation." in out


def test_the_command_refuses_a_bad_tenant() -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["chat", "--tenant", "bad tenant!"])
    assert result.exit_code == 2 and "error:" in result.output


def test_long_list_items_are_wrapped_not_cut_at_the_terminal_width(chat: ChatService) -> None:
    out, _ = run(chat, ["hello"], width=50, soft_wrap=True)  # soft_wrap as `mes-ai chat` has it
    text = " ".join(out.split())
    assert "I can also write referral letters, progress summaries and discharge summaries" in text
