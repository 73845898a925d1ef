"""Conversation storage: migrations, keys, tenant isolation and durability on real SQLite."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from assistant.drafting import draft
from assistant.models import ClientCase, PractitionerProfile
from assistant.settings import Settings
from assistant.storage import Database, StorageError, hash_secret
from assistant.storage.migrate import head_revision
from assistant.storage.tables import Base

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"


@pytest.fixture()
def db(settings: Settings) -> Database:
    return Database(settings)


def load(name: str) -> ClientCase:
    return ClientCase.model_validate(json.loads((CASES / name).read_text()))


def test_migrations_create_every_table_on_an_empty_database_and_are_idempotent(
    settings: Settings,
) -> None:
    db = Database(settings)
    assert db.revision() == head_revision() is not None
    assert db.migrate() == head_revision()
    again = Database(settings)
    assert again.revision() == head_revision()
    with db.engine.connect() as connection:
        tables = set(db.engine.dialect.get_table_names(connection))
    assert {
        "tenants",
        "api_keys",
        "conversations",
        "messages",
        "profiles",
        "cases",
        "drafts",
        "feedback",
        "audit_log",
        "alembic_version",
    } <= tables


def test_migrated_schema_matches_the_orm_models(db: Database) -> None:
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode_in_the_data_dir(settings: Settings, db: Database) -> None:
    path = settings.data_dir / "mes.db"
    assert path.exists()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_key_is_shown_once_and_stored_only_as_its_hash(settings: Settings, db: Database) -> None:
    info, secret = db.create_key("clinic-a", "widget", ["https://clinic-a.example/"], 30)
    assert secret.startswith("mes_") and len(secret) > 40
    assert info.prefix == secret[:12] and info.origins == ["https://clinic-a.example"]
    assert db.authenticate(secret) == info
    assert db.authenticate(secret + "x") is None
    assert db.authenticate("not-a-key") is None
    files = [settings.data_dir / "mes.db", settings.data_dir / "mes.db-wal"]
    raw = b"".join(f.read_bytes() for f in files if f.exists())
    assert hash_secret(secret).encode() in raw
    assert secret.encode() not in raw and secret[4:].encode() not in raw


def test_revoked_keys_stop_working_but_keep_the_server_out_of_local_mode(db: Database) -> None:
    assert not db.has_keys()
    info, secret = db.create_key("clinic-a", "admin", [], 60)
    assert db.has_keys()
    assert db.revoke_key(info.id)
    assert not db.revoke_key(info.id)
    assert db.authenticate(secret) is None
    assert db.has_keys()
    assert db.list_keys("clinic-a")[0].revoked_at is not None


@pytest.mark.parametrize(
    ("tenant", "role", "limit"),
    [("bad tenant", "admin", 60), ("", "admin", 60), ("a", "root", 60), ("a", "admin", 0)],
)
def test_bad_key_requests_are_refused(db: Database, tenant: str, role: str, limit: int) -> None:
    with pytest.raises(StorageError):
        db.create_key(tenant, role, [], limit)


def test_conversations_keep_messages_in_order_with_citations_and_state(db: Database) -> None:
    conv = db.create_conversation("local")
    db.add_message("local", conv.id, "user", "How many assessments?")
    cites = [{"n": 1, "source": "knowledge/tier-essential.md", "title": "T", "section": "S"}]
    reply = db.add_message(
        "local", conv.id, "assistant", "50 [1]", category="in_scope", citations=cites
    )
    db.set_state("local", conv.id, {"pending": "confirm_profile"})
    loaded = db.get_conversation("local", conv.id)
    assert loaded is not None
    assert [m.role for m in loaded.messages] == ["user", "assistant"]
    assert loaded.messages[1] == reply and reply.citations == cites
    assert loaded.title == "How many assessments?"
    assert loaded.state == {"pending": "confirm_profile"}
    assert [m.content for m in db.get_conversation("local", conv.id, last=1).messages] == ["50 [1]"]  # type: ignore[union-attr]
    assert db.delete_conversation("local", conv.id)
    assert db.get_conversation("local", conv.id) is None


def test_deleting_a_conversation_deletes_its_drafts_and_only_those(db: Database) -> None:
    case = load("post-tkr.json")
    result = draft("session-log", case)
    gone, kept = db.create_conversation("local"), db.create_conversation("local")
    drafts = {
        "gone": db.save_draft("local", result, case, gone.id),
        "kept": db.save_draft("local", result, case, kept.id),
        "loose": db.save_draft("local", result, case),
    }
    assert db.delete_conversation("local", gone.id)
    assert db.get_draft("local", drafts["gone"].id) is None
    assert db.get_draft("local", drafts["kept"].id) is not None
    assert db.get_draft("local", drafts["loose"].id) is not None


def test_tenant_b_never_sees_tenant_a_rows(db: Database) -> None:
    marker = "ZEBRA-7731"
    conv = db.create_conversation("clinic-a")
    message = db.add_message("clinic-a", conv.id, "user", f"note {marker}")
    db.save_case("clinic-a", ClientCase.model_validate({"client": {"name": f"Maria {marker}"}}))
    db.save_profile("clinic-a", PractitionerProfile(name=marker, supervised_assessments=9))
    stored = db.save_draft("clinic-a", draft("session-log", load("post-tkr.json")))
    db.audit("clinic-a", "clinical_advice", f"rule {marker}", conv.id)
    db.create_key("clinic-a", "admin", [], 60)

    b = "clinic-b"
    assert db.get_conversation(b, conv.id) is None
    assert db.list_conversations(b) == []
    assert not db.delete_conversation(b, conv.id)
    assert not db.set_state(b, conv.id, {"x": 1})
    with pytest.raises(StorageError):
        db.add_message(b, conv.id, "user", "inject")
    assert db.get_case(b, f"Maria {marker}") is None and db.list_cases(b) == []
    assert db.find_cases(b, "maria") == []
    assert db.get_profile(b) is None
    assert db.get_draft(b, stored.id) is None
    assert not db.add_feedback(b, conv.id, message.id, "down")
    assert db.audit_log(b) == [] and db.list_feedback(b) == []
    assert db.list_keys(b) == []
    # tenant A still has everything
    assert db.get_conversation("clinic-a", conv.id) is not None
    assert db.find_cases("clinic-a", "maria") == [f"Maria {marker}"]
    assert db.add_feedback("clinic-a", conv.id, message.id, "up", "good")
    assert db.audit_log("clinic-a")[0].reason == f"rule {marker}"


def test_a_new_database_on_the_same_file_keeps_everything(settings: Settings) -> None:
    first = Database(settings)
    conv = first.create_conversation("local")
    first.add_message("local", conv.id, "user", "hello")
    case = load("post-tkr.json")
    first.save_case("local", case)
    first.save_profile("local", PractitionerProfile(supervised_assessments=62))
    result = draft("session-log", case)
    stored = first.save_draft("local", result, case, conv.id)
    first.close()

    second = Database(settings)
    again = second.get_conversation("local", conv.id)
    assert again is not None and again.messages[0].content == "hello"
    assert second.get_case("local", "maria  GOMEZ") == case
    assert second.get_profile("local") == PractitionerProfile(supervised_assessments=62)
    back = second.get_draft("local", stored.id)
    assert back is not None
    assert back.to_draft().markdown == result.markdown
    assert back.to_draft().body == result.body and back.to_draft().one_page == result.one_page


def test_timestamps_come_from_the_injected_clock(settings: Settings) -> None:
    when = dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC)
    db = Database(settings, clock=lambda: when)
    conv = db.create_conversation("local")
    db.audit("local", "emergency", "rule:emergency.chest_pain", conv.id)
    entry = db.audit_log("local")[0]
    assert entry.created_at == when and entry.category == "emergency"


def test_two_processes_migrating_one_new_file_at_once_both_succeed(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'shared.db'}"
    code = (
        "from assistant.settings import Settings; from assistant.storage import Database; "
        f"db = Database(Settings(data_dir={str(tmp_path)!r}, database_url={url!r})); "
        "db.create_conversation('local'); print(db.revision())"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [r[1][-500:] for r in results]
    assert {r[0].decode().strip() for r in results} == {head_revision()}
    db = Database(Settings(data_dir=tmp_path, database_url=url))
    assert len(db.list_conversations("local")) == 3


def test_a_chat_turn_is_stored_whole_or_not_at_all(db: Database) -> None:
    conv = db.new_conversation("clinic-a")
    assert db.get_conversation("clinic-a", conv.id) is None  # not stored until its first turn
    reply = db.record_turn(
        "clinic-a", conv.id, "chest pain now", "Call emergency services.", new=True,
        category="emergency", state={"client": "Maria"}, audit_reason="rule:emergency",
    )  # fmt: skip
    stored = db.get_conversation("clinic-a", conv.id)
    assert stored is not None and [m.role for m in stored.messages] == ["user", "assistant"]
    assert stored.state == {"client": "Maria"} and stored.title == "chest pain now"
    assert db.audit_log("clinic-a")[0].message_id == reply.id
    with pytest.raises(StorageError):
        db.record_turn("clinic-b", conv.id, "hi", "hello", audit_reason="x")
    assert db.audit_log("clinic-b") == [] and db.list_conversations("clinic-b") == []
    assert len(db.get_conversation("clinic-a", conv.id).messages) == 2  # type: ignore[union-attr]


def test_renaming_a_case_moves_it_within_its_tenant_only(db: Database) -> None:
    case = ClientCase.model_validate({"client": {"name": "Katharine Bell"}, "diagnosis": "Hip"})
    db.save_case("clinic-a", case)
    db.save_case("clinic-b", case)
    moved = ClientCase.model_validate({"client": {"name": "Katherine Bell"}, "diagnosis": "Hip"})
    db.rename_case("clinic-a", "Katharine Bell", moved)
    assert db.list_cases("clinic-a") == ["Katherine Bell"]
    assert db.get_case("clinic-a", "katherine bell") == moved
    assert db.list_cases("clinic-b") == ["Katharine Bell"]
