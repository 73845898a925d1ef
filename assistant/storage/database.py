"""Database(settings): the conversation store with tenant-scoped repository methods.

Every method that reads or writes tenant data takes the tenant id first and filters on it, so
another tenant's row is simply not found.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from assistant.drafting.options import Draft
from assistant.models import ClientCase, PractitionerProfile
from assistant.settings import Settings
from assistant.storage import migrate
from assistant.storage.records import (
    ROLES,
    AuditRecord,
    ConversationRecord,
    DraftRecord,
    FeedbackRecord,
    KeyInfo,
    MessageRecord,
)
from assistant.storage.tables import (
    ApiKey,
    AuditEntry,
    Base,
    Case,
    Conversation,
    Feedback,
    Message,
    Profile,
    StoredDraftRow,
    Tenant,
)

_TABLES = Base.metadata.tables  # Core tables for the chat turn's hot path
KEY_PREFIX = "mes_"
DEFAULT_USER = "default"
_TENANT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
Clock = Callable[[], dt.datetime]


class StorageError(ValueError):
    """A request the store refuses (bad tenant id, role, rating...)."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _new_id() -> str:
    return uuid.uuid4().hex


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def client_key(name: str) -> str:
    """How a client is looked up: case- and space-insensitive name."""
    return " ".join(name.lower().split())[:200]


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; they were stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def check_tenant(tenant: str) -> str:
    if not isinstance(tenant, str) or not _TENANT_ID.match(tenant):
        raise StorageError(
            "tenant id must be 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return tenant


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def build_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get their folder, WAL mode and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        _sqlite_pragmas(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _key_info(row: ApiKey) -> KeyInfo:
    return KeyInfo(
        id=row.id,
        tenant=row.tenant_id,
        role=row.role,
        origins=list(row.allowed_origins or []),
        rate_limit_per_min=row.rate_limit_per_min,
        prefix=row.prefix,
        created_at=_aware(row.created_at),
        revoked_at=_aware(row.revoked_at) if row.revoked_at else None,
    )


def _message(row: Message) -> MessageRecord:
    return MessageRecord(
        id=row.id,
        conversation_id=row.conversation_id,
        role=row.role,
        content=row.content,
        category=row.category,
        citations=list(row.citations or []),
        draft_id=row.draft_id,
        created_at=_aware(row.created_at),
    )


def _conversation(
    row: Conversation, messages: list[MessageRecord] | None = None
) -> ConversationRecord:
    return ConversationRecord(
        id=row.id,
        tenant=row.tenant_id,
        title=row.title,
        state=dict(row.state or {}),
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
        messages=messages or [],
    )


def _draft(row: StoredDraftRow) -> DraftRecord:
    return DraftRecord(
        id=row.id,
        tenant=row.tenant_id,
        conversation_id=row.conversation_id,
        kind=row.kind,
        title=row.title,
        markdown=row.markdown,
        case=dict(row.case or {}),
        warnings=list(row.warnings or []),
        missing_fields=list(row.missing_fields or []),
        layout=dict(row.layout or {}),
        created_at=_aware(row.created_at),
    )


def _upsert(
    s: Session, table: type[Any], values: dict[str, Any], keys: list[str], update: list[str]
) -> None:
    """INSERT, or on a key conflict update `update` (nothing when empty): safe under races."""
    name = s.get_bind().dialect.name
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt: Any = sqlite_insert(table).values(**values)
    elif name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(table).values(**values)
    else:
        existing = s.get(table, tuple(values[k] for k in keys))
        if existing is None:
            s.add(table(**values))
        else:
            for column in update:
                setattr(existing, column, values[column])
        s.flush()
        return
    if update:
        stmt = stmt.on_conflict_do_update(
            index_elements=keys, set_={c: stmt.excluded[c] for c in update}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    s.execute(stmt)


class Database:
    """The conversation store. Migrates the database to the newest schema when built."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None, migrate_now: bool = True):
        self.url = settings.resolved_database_url
        self.engine = build_engine(self.url)
        self._clock = clock or _utc_now
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._known_tenants: set[str] = set()
        if migrate_now:
            self.migrate()

    # ----------------------------------------------------------------- plumbing
    def migrate(self) -> str | None:
        """Run pending migrations (safe to call again; a second process waits its turn)."""
        return migrate.upgrade(self.url)

    def revision(self) -> str | None:
        with self.engine.connect() as connection:
            return migrate.current_revision(connection)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def _now(self) -> dt.datetime:
        return self._clock()

    def ensure_tenant(self, tenant: str, name: str | None = None) -> str:
        check_tenant(tenant)
        with self._tx() as s:
            self._ensure_tenant(s, tenant, name)
        return tenant

    def _ensure_tenant(self, s: Session, tenant: str, name: str | None = None) -> None:
        check_tenant(tenant)
        if s.get(Tenant, tenant) is None:
            values = {"id": tenant, "name": name or tenant, "created_at": self._now()}
            _upsert(s, Tenant, values, ["id"], [])

    def tenants(self) -> list[str]:
        with self._tx() as s:
            return list(s.scalars(select(Tenant.id).order_by(Tenant.id)))

    # ----------------------------------------------------------------- API keys
    def create_key(
        self,
        tenant: str,
        role: str,
        origins: list[str] | None = None,
        rate_limit_per_min: int = 60,
    ) -> tuple[KeyInfo, str]:
        """A new key; the secret is returned once and only its sha256 is stored."""
        if role not in ROLES:
            raise StorageError(f"role must be one of {', '.join(ROLES)}")
        if not 1 <= int(rate_limit_per_min) <= 1_000_000:
            raise StorageError("rate_limit_per_min must be between 1 and 1000000")
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        row = ApiKey(
            id=_new_id(),
            tenant_id=check_tenant(tenant),
            role=role,
            prefix=secret[:12],
            secret_hash=hash_secret(secret),
            allowed_origins=[o.strip().rstrip("/") for o in origins or [] if o.strip()],
            rate_limit_per_min=int(rate_limit_per_min),
            created_at=self._now(),
        )
        with self._tx() as s:
            self._ensure_tenant(s, tenant)
            s.add(row)
        return _key_info(row), secret

    def authenticate(self, secret: str) -> KeyInfo | None:
        """The key for `secret`, or None when unknown or revoked."""
        if not isinstance(secret, str) or not secret.startswith(KEY_PREFIX) or len(secret) > 200:
            return None
        with self._tx() as s:
            row = s.scalar(select(ApiKey).where(ApiKey.secret_hash == hash_secret(secret)))
            if row is None or row.revoked_at is not None:
                return None
            return _key_info(row)

    def list_keys(self, tenant: str | None = None) -> list[KeyInfo]:
        query = select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)
        if tenant is not None:
            query = query.where(ApiKey.tenant_id == tenant)
        with self._tx() as s:
            return [_key_info(r) for r in s.scalars(query)]

    def revoke_key(self, key_id: str, tenant: str | None = None) -> bool:
        """Revoke a key (of `tenant` when given); False when there is no such active key."""
        with self._tx() as s:
            row = s.get(ApiKey, key_id)
            if row is None or row.revoked_at is not None:
                return False
            if tenant is not None and row.tenant_id != tenant:
                return False
            row.revoked_at = self._now()
            return True

    def has_keys(self) -> bool:
        """True once any key was ever created (revoking every key does not reopen local mode)."""
        with self._tx() as s:
            return s.scalar(select(func.count()).select_from(ApiKey)) != 0

    # ----------------------------------------------------------------- conversations
    def create_conversation(self, tenant: str, title: str = "") -> ConversationRecord:
        now = self._now()
        row = Conversation(
            id=_new_id(),
            tenant_id=check_tenant(tenant),
            title=" ".join(title.split())[:200],
            state={},
            created_at=now,
            updated_at=now,
        )
        with self._tx() as s:
            self._ensure_tenant(s, tenant)
            s.add(row)
        return _conversation(row)

    def _own_conversation(
        self, s: Session, tenant: str, conversation_id: str
    ) -> Conversation | None:
        row = s.get(Conversation, conversation_id) if isinstance(conversation_id, str) else None
        return row if row is not None and row.tenant_id == tenant else None

    def get_conversation(
        self, tenant: str, conversation_id: str, *, last: int | None = None
    ) -> ConversationRecord | None:
        """The conversation with its messages (the last `last` only when given), or None."""
        with self._tx() as s:
            row = self._own_conversation(s, tenant, conversation_id)
            if row is None:
                return None
            query = (
                select(Message)
                .where(Message.conversation_id == row.id, Message.tenant_id == tenant)
                .order_by(Message.seq.desc())
            )
            if last is not None:
                query = query.limit(last)
            messages = [_message(m) for m in s.scalars(query)]
            return _conversation(row, list(reversed(messages)))

    def list_conversations(self, tenant: str, limit: int = 100) -> list[ConversationRecord]:
        with self._tx() as s:
            rows = s.scalars(
                select(Conversation)
                .where(Conversation.tenant_id == tenant)
                .order_by(Conversation.updated_at.desc(), Conversation.id)
                .limit(limit)
            )
            return [_conversation(r) for r in rows]

    def delete_conversation(self, tenant: str, conversation_id: str) -> bool:
        """Delete the conversation with its messages and drafts, in one transaction."""
        with self._tx() as s:
            row = self._own_conversation(s, tenant, conversation_id)
            if row is None:
                return False
            s.execute(delete(Message).where(Message.conversation_id == row.id))
            s.execute(
                delete(StoredDraftRow).where(
                    StoredDraftRow.conversation_id == row.id, StoredDraftRow.tenant_id == tenant
                )
            )
            s.delete(row)
            return True

    def set_state(self, tenant: str, conversation_id: str, state: dict[str, Any]) -> bool:
        """Replace what the chat remembers between turns (pending questions, client)."""
        with self._tx() as s:
            row = self._own_conversation(s, tenant, conversation_id)
            if row is None:
                return False
            row.state = dict(state)
            row.updated_at = self._now()
            return True

    def new_conversation(self, tenant: str) -> ConversationRecord:
        """An unsaved conversation: `record_turn(..., new=True)` stores it with its first turn."""
        now = self._now()
        return ConversationRecord(
            id=_new_id(), tenant=check_tenant(tenant), title="", created_at=now, updated_at=now
        )

    def record_turn(
        self,
        tenant: str,
        conversation_id: str,
        user_text: str,
        reply: str,
        *,
        new: bool = False,
        category: str | None = None,
        citations: list[dict[str, Any]] | None = None,
        draft_id: str | None = None,
        state: dict[str, Any] | None = None,
        audit_reason: str | None = None,
    ) -> MessageRecord:
        """Store one chat turn in one transaction: the conversation when `new`, the user message,
        the reply, the conversation's state (when given) and an audit row (when given).

        The hot path of every chat turn, so it is written as a few Core statements on one
        connection (no ORM unit of work): one INSERT or UPDATE of the conversation, one
        executemany of both messages, the audit row, one COMMIT. On SQLite the commit is durable
        against a crash of the process (WAL, `synchronous=NORMAL`: the WAL is synced at each
        checkpoint, so only a power loss or an OS crash can lose the last turns).
        """
        now = self._now()
        conversations, messages = _TABLES["conversations"], _TABLES["messages"]
        reply_id = _new_id()
        with self.engine.begin() as c:
            if new:
                self._ensure_tenant_row(c, tenant)
                c.execute(
                    insert(conversations).values(
                        id=conversation_id,
                        tenant_id=tenant,
                        title=" ".join(user_text.split())[:80],
                        state=dict(state) if state is not None else {},
                        created_at=now,
                        updated_at=now,
                    )
                )
            else:
                values: dict[str, Any] = {"updated_at": now}
                if state is not None:
                    values["state"] = dict(state)
                changed = c.execute(
                    update(conversations)
                    .where(
                        conversations.c.id == conversation_id,
                        conversations.c.tenant_id == tenant,
                    )
                    .values(**values)
                ).rowcount
                if changed != 1:
                    raise StorageError("no such conversation for this tenant")
            rows = [
                {
                    "id": message_id,
                    "tenant_id": tenant,
                    "conversation_id": conversation_id,
                    "role": role,
                    "content": content,
                    "category": category,
                    "citations": list(cites),
                    "draft_id": draft,
                    "created_at": now,
                }
                for message_id, role, content, cites, draft in (
                    (_new_id(), "user", user_text, [], None),
                    (reply_id, "assistant", reply, citations or [], draft_id),
                )
            ]
            c.execute(insert(messages), rows)  # in order: the user's message gets the lower seq
            if audit_reason is not None:
                c.execute(
                    insert(_TABLES["audit_log"]).values(
                        tenant_id=tenant,
                        conversation_id=conversation_id,
                        message_id=reply_id,
                        category=category or "",
                        reason=audit_reason[:2000],
                        created_at=now,
                    )
                )
        self._known_tenants.add(tenant)
        stored = rows[1]
        return MessageRecord(
            id=reply_id,
            conversation_id=conversation_id,
            role="assistant",
            content=reply,
            category=category,
            citations=stored["citations"],
            draft_id=draft_id,
            created_at=_aware(now),
        )

    def _ensure_tenant_row(self, c: Connection, tenant: str) -> None:
        """The tenant row, inserted once; tenants are never deleted, so a tenant this object
        has seen committed is skipped without a statement."""
        check_tenant(tenant)
        if tenant in self._known_tenants:
            return
        tenants = _TABLES["tenants"]
        values = {"id": tenant, "name": tenant, "created_at": self._now()}
        match c.dialect.name:
            case "sqlite":
                from sqlalchemy.dialects.sqlite import insert as sqlite_insert

                c.execute(sqlite_insert(tenants).values(**values).on_conflict_do_nothing())
            case "postgresql":
                from sqlalchemy.dialects.postgresql import insert as pg_insert

                c.execute(pg_insert(tenants).values(**values).on_conflict_do_nothing())
            case _:
                if c.scalar(select(tenants.c.id).where(tenants.c.id == tenant)) is None:
                    c.execute(insert(tenants).values(**values))

    def add_message(
        self,
        tenant: str,
        conversation_id: str,
        role: str,
        content: str,
        *,
        category: str | None = None,
        citations: list[dict[str, Any]] | None = None,
        draft_id: str | None = None,
        message_id: str | None = None,
    ) -> MessageRecord:
        if role not in ("user", "assistant"):
            raise StorageError("role must be 'user' or 'assistant'")
        with self._tx() as s:
            conv = self._own_conversation(s, tenant, conversation_id)
            if conv is None:
                raise StorageError("no such conversation for this tenant")
            now = self._now()
            row = Message(
                id=message_id or _new_id(),
                tenant_id=tenant,
                conversation_id=conv.id,
                role=role,
                content=content,
                category=category,
                citations=list(citations or []),
                draft_id=draft_id,
                created_at=now,
            )
            s.add(row)
            conv.updated_at = now
            if not conv.title and role == "user":
                conv.title = " ".join(content.split())[:80]
            s.flush()
            return _message(row)

    # ----------------------------------------------------------------- profiles and cases
    def get_profile(self, tenant: str, user: str = DEFAULT_USER) -> PractitionerProfile | None:
        with self._tx() as s:
            row = s.get(Profile, (tenant, user))
            return PractitionerProfile.model_validate(row.data) if row else None

    def save_profile(
        self, tenant: str, profile: PractitionerProfile, user: str = DEFAULT_USER
    ) -> None:
        data = profile.model_dump(mode="json")
        values = {"tenant_id": tenant, "user_id": user, "data": data, "updated_at": self._now()}
        with self._tx() as s:
            self._ensure_tenant(s, tenant)
            _upsert(s, Profile, values, ["tenant_id", "user_id"], ["data", "updated_at"])

    def get_case(self, tenant: str, client_name: str) -> ClientCase | None:
        with self._tx() as s:
            row = s.get(Case, (tenant, client_key(client_name)))
            return ClientCase.model_validate(row.data) if row else None

    def find_cases(self, tenant: str, name_part: str) -> list[str]:
        """Stored client names of `tenant` whose name contains every word of `name_part`."""
        words = client_key(name_part).split()
        with self._tx() as s:
            rows = s.execute(
                select(Case.client_key, Case.name).where(Case.tenant_id == tenant)
            ).all()
        return [name for key, name in rows if all(w in key.split() for w in words)]

    def save_case(self, tenant: str, case: ClientCase) -> str:
        """Store the case under its client's name; returns the lookup key."""
        if case.client is None:
            raise StorageError("a stored case needs client.name")
        key = client_key(case.client.name)
        data = case.model_dump(mode="json", exclude_none=True)
        values = {
            "tenant_id": tenant,
            "client_key": key,
            "name": case.client.name,
            "data": data,
            "updated_at": self._now(),
        }
        with self._tx() as s:
            self._ensure_tenant(s, tenant)
            _upsert(s, Case, values, ["tenant_id", "client_key"], ["name", "data", "updated_at"])
        return key

    def rename_case(self, tenant: str, old_name: str, case: ClientCase) -> str:
        """Store `case` under its (new) client name and drop the row of `old_name`, in one
        transaction; returns the new lookup key."""
        if case.client is None:
            raise StorageError("a stored case needs client.name")
        key = client_key(case.client.name)
        values = {
            "tenant_id": tenant,
            "client_key": key,
            "name": case.client.name,
            "data": case.model_dump(mode="json", exclude_none=True),
            "updated_at": self._now(),
        }
        with self._tx() as s:
            self._ensure_tenant(s, tenant)
            old = s.get(Case, (tenant, client_key(old_name)))
            if old is not None and old.client_key != key:
                s.delete(old)
            _upsert(s, Case, values, ["tenant_id", "client_key"], ["name", "data", "updated_at"])
        return key

    def list_cases(self, tenant: str) -> list[str]:
        with self._tx() as s:
            return list(
                s.scalars(select(Case.name).where(Case.tenant_id == tenant).order_by(Case.name))
            )

    # ----------------------------------------------------------------- drafts
    def save_draft(
        self,
        tenant: str,
        draft: Draft,
        case: ClientCase | None = None,
        conversation_id: str | None = None,
    ) -> DraftRecord:
        row = StoredDraftRow(
            id=_new_id(),
            tenant_id=check_tenant(tenant),
            conversation_id=conversation_id,
            kind=draft.kind,
            title=draft.title[:300],
            markdown=draft.markdown,
            case=case.model_dump(mode="json", exclude_none=True) if case else {},
            warnings=list(draft.warnings),
            missing_fields=list(draft.missing_fields),
            layout={
                "letterhead": list(draft.letterhead),
                "body": draft.body,
                "one_page": draft.one_page,
            },
            created_at=self._now(),
        )
        with self._tx() as s:
            self._ensure_tenant(s, tenant)
            s.add(row)
        return _draft(row)

    def get_draft(self, tenant: str, draft_id: str) -> DraftRecord | None:
        with self._tx() as s:
            row = s.get(StoredDraftRow, draft_id) if isinstance(draft_id, str) else None
            return _draft(row) if row is not None and row.tenant_id == tenant else None

    # ----------------------------------------------------------------- feedback and audit
    def add_feedback(
        self,
        tenant: str,
        conversation_id: str,
        message_id: str,
        rating: str,
        comment: str | None = None,
    ) -> bool:
        """Record a rating; False when the message is not in this tenant's conversation."""
        if rating not in ("up", "down"):
            raise StorageError("rating must be 'up' or 'down'")
        with self._tx() as s:
            message = s.scalar(select(Message).where(Message.id == message_id))
            if (
                message is None
                or message.tenant_id != tenant
                or message.conversation_id != conversation_id
            ):
                return False
            s.add(
                Feedback(
                    id=_new_id(),
                    tenant_id=tenant,
                    conversation_id=conversation_id,
                    message_id=message_id,
                    rating=rating,
                    comment=(comment or None) and comment[:4000],
                    created_at=self._now(),
                )
            )
            return True

    def list_feedback(self, tenant: str) -> list[FeedbackRecord]:
        with self._tx() as s:
            rows = s.scalars(
                select(Feedback).where(Feedback.tenant_id == tenant).order_by(Feedback.created_at)
            )
            return [
                FeedbackRecord(
                    id=r.id,
                    tenant=r.tenant_id,
                    conversation_id=r.conversation_id,
                    message_id=r.message_id,
                    rating=r.rating,
                    comment=r.comment,
                    created_at=_aware(r.created_at),
                )
                for r in rows
            ]

    def audit(
        self,
        tenant: str,
        category: str,
        reason: str,
        conversation_id: str | None = None,
        message_id: str | None = None,
    ) -> None:
        """Record a refusal, clarification or escalation."""
        with self._tx() as s:
            self._ensure_tenant(s, tenant)
            s.add(
                AuditEntry(
                    tenant_id=tenant,
                    conversation_id=conversation_id,
                    message_id=message_id,
                    category=category,
                    reason=reason[:2000],
                    created_at=self._now(),
                )
            )

    def audit_log(self, tenant: str, limit: int = 200) -> list[AuditRecord]:
        with self._tx() as s:
            rows = s.scalars(
                select(AuditEntry)
                .where(AuditEntry.tenant_id == tenant)
                .order_by(AuditEntry.id.desc())
                .limit(limit)
            )
            return [
                AuditRecord(
                    id=r.id,
                    tenant=r.tenant_id,
                    conversation_id=r.conversation_id,
                    message_id=r.message_id,
                    category=r.category,
                    reason=r.reason,
                    created_at=_aware(r.created_at),
                )
                for r in rows
            ]
