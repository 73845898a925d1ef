"""`mes-ai chat`: an interactive terminal chat on the same service as POST /v1/chat."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markdown import Markdown

from assistant import atomic
from assistant.cli.app import app, console, fail, settings_of

if TYPE_CHECKING:
    from assistant.chat import ChatService

HELP = (
    "Type a message. Commands: /save FILE (the last draft; .md, .docx or .pdf), /new (a new "
    "conversation), /help, /quit."
)


class ChatSession:
    """The loop of `mes-ai chat`, separate from the terminal so that it can be tested."""

    def __init__(self, chat: ChatService, tenant: str, out: Console, err: Console) -> None:
        self.chat = chat
        self.tenant = tenant
        self.out = out
        self.err = err
        self.conversation_id: str | None = None
        self.last_draft_id: str | None = None

    def error(self, message: str) -> None:
        self.err.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)

    def handle(self, line: str, ask: Callable[[str], str]) -> bool:
        """One input line; False when the session should end."""
        text = line.strip()
        if not text:
            return True
        if text.startswith("/"):
            return self.command(text, ask)
        from assistant.chat import ConversationNotFound

        try:
            reply = self.chat.reply(self.tenant, text, self.conversation_id)
        except (ValueError, ConversationNotFound) as exc:
            self.error(str(exc) or "conversation not found")
            return True
        self.conversation_id = reply.conversation_id
        self.out.print(Markdown(reply.reply), soft_wrap=False)  # wrapped: never cropped
        if reply.draft is not None:
            self.last_draft_id = reply.draft.id
            self.out.print(Markdown(reply.draft.markdown), soft_wrap=False)
            self.out.print("Save it with /save FILE (.md, .docx or .pdf).", markup=False)
        return True

    def command(self, text: str, ask: Callable[[str], str]) -> bool:
        try:
            parts = shlex.split(text)
        except ValueError as exc:
            self.error(str(exc))
            return True
        name, args = parts[0].lower(), parts[1:]
        if name in ("/quit", "/exit", "/q"):
            return False
        if name == "/new":
            self.conversation_id = None
            self.last_draft_id = None
            self.out.print("New conversation.", markup=False)
        elif name == "/help":
            self.out.print(HELP, markup=False)
        elif name == "/save":
            self.save(args[0] if args else ask("Save the draft to which file? "))
        else:
            self.error(f"unknown command {name} ({HELP})")
        return True

    def save(self, target: str) -> None:
        from assistant.drafting import FORMATS, DraftError

        if not target.strip():
            self.error("give a file name, e.g. /save maria-session.docx")
            return
        path = Path(target.strip()).expanduser()
        fmt = path.suffix.lower().lstrip(".") or "md"
        if fmt not in FORMATS:
            self.error(f"unknown file type .{fmt} (use .md, .docx or .pdf)")
            return
        if self.last_draft_id is None:
            self.error("there is no draft in this conversation yet")
            return
        stored = self.chat.db.get_draft(self.tenant, self.last_draft_id)  # the chat's own store
        if stored is None:
            self.error("the draft is no longer stored")
            return
        try:
            atomic.write_bytes(path, self.chat.services.export_draft(stored.to_draft(), fmt))
        except (DraftError, OSError) as exc:
            self.error(f"cannot write {path}: {exc}")
            return
        self.out.print(f"wrote {path}", markup=False)

    def run(self, read: Callable[[str], str]) -> None:
        """Read lines until /quit or end of input."""
        self.out.print(HELP, markup=False)
        while True:
            try:
                line = read("you> ")
            except (EOFError, KeyboardInterrupt):
                self.out.print("")
                return
            if not self.handle(line, read):
                return


@app.command("chat")
def chat_command(
    ctx: typer.Context,
    tenant: str = typer.Option("local", "--tenant", help="Tenant whose conversations are used."),
) -> None:
    """Chat with the assistant in the terminal (answers, drafts, tier gap)."""
    from assistant.services import Services
    from assistant.storage import StorageError
    from assistant.storage.database import check_tenant

    try:
        check_tenant(tenant)
    except StorageError as exc:
        fail(f"--tenant: {exc}")
    services = Services(settings_of(ctx))
    out = Console(highlight=False, soft_wrap=True)
    session = ChatSession(services.chat, tenant, out, console)
    from assistant.cli.commands_guard import ready_guard

    ready_guard(services.warm)  # a progress bar when the guard's model must be trained first
    session.run(lambda prompt: out.input(prompt))
