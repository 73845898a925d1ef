"""The chat: one conversation that answers, drafts and measures the tier gap, stored per tenant.

`ChatService.reply(tenant, message, conversation_id)` -> ChatReply; `stream(...)` yields the
same reply as events (meta, delta..., done). See notes/CHAT_CONTRACT.md.
"""

from __future__ import annotations

from assistant.chat.schemas import ChatEvent, ChatReply, Citation, ConversationNotFound, DraftCard
from assistant.chat.service import ChatService, build_chat

__all__ = [
    "ChatEvent",
    "ChatReply",
    "ChatService",
    "Citation",
    "ConversationNotFound",
    "DraftCard",
    "build_chat",
]
