"""The chat service end to end: real guard, real index, real SQLite in tmp_path."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from assistant.chat import ChatService, ConversationNotFound
from assistant.drafting import export
from assistant.models import parse_case
from guardrails import Category, Decision
from tests.assistant.chat.conftest import fresh

TENANT = "clinic-a"
OTHER = "clinic-b"
CITE = re.compile(r"\[(\d+)\]")


def test_an_in_scope_question_is_answered_with_numbered_citations(chat: ChatService) -> None:
    reply = chat.reply(
        TENANT,
        fresh("Before Intermediate, how many MET assessments under supervision should I complete?"),
    )
    assert reply.category == "in_scope"
    assert "50–75" in reply.reply
    body = reply.reply.split("\n\nSources:")[0]
    for paragraph in body.split("\n\n"):
        assert CITE.search(paragraph), paragraph
    numbers = {int(n) for n in CITE.findall(body)}
    assert numbers == {c.n for c in reply.citations}
    first = reply.citations[0]
    assert first.source == "knowledge/tier-essential.md" and first.section and first.snippet
    assert first.snippet.split()[0] in body
    assert "<script" not in reply.html and reply.html


def test_weak_retrieval_says_it_does_not_know_and_suggests_questions(chat: ChatService) -> None:
    message = "How should I plan the seating in my studio's waiting area?"
    reply = chat.reply(TENANT, fresh(message))
    assert reply.category == "in_scope"  # a practice question the framework does not cover
    assert reply.reply.startswith("I don't know")
    assert reply.citations == []
    assert reply.reply.count("\n- ") == 3


def test_dosing_is_refused_naming_the_clients_physician_and_audited(chat: ChatService) -> None:
    first = chat.reply(
        TENANT,
        fresh("Maria Gomez was referred by Dr. Alan Patel for a right total knee replacement"),
    )
    assert first.category == "in_scope" and "Dr. Alan Patel" in first.reply
    refused = chat.reply(
        TENANT,
        fresh("How many milligrams of her metoprolol should Maria take before we train?"),
        first.conversation_id,
    )
    assert refused.category == "clinical_advice"
    assert "Dr. Alan Patel" in refused.reply
    assert refused.citations == [] and refused.draft is None
    audit = chat.db.audit_log(TENANT)
    assert audit[0].category == "clinical_advice" and audit[0].reason
    assert audit[0].conversation_id == first.conversation_id
    assert audit[0].message_id == refused.message_id


def test_an_emergency_is_escalated_and_audited(chat: ChatService) -> None:
    reply = chat.reply(TENANT, fresh("Her lips went blue and she collapsed off the bike just now"))
    assert reply.category == "emergency"
    assert "emergency services" in reply.reply
    assert [e.category for e in chat.db.audit_log(TENANT)] == ["emergency"]


def test_a_session_log_is_completed_over_two_turns_and_exports(chat: ChatService) -> None:
    first = chat.reply(
        TENANT,
        fresh(
            "session log for Maria today: 3x10 sit-to-stand, BP 128/82 before, 136/84 after, RPE 5"
        ),
    )
    assert first.draft is None
    assert first.pending == "referral.physician,diagnosis"
    assert "referring physician" in first.reply and "diagnosis" in first.reply

    second = chat.reply(
        TENANT,
        fresh("Dr. Alan Patel, orthopedic surgery; right total knee replacement"),
        first.conversation_id,
    )
    card = second.draft
    assert card is not None and second.pending is None
    assert card.kind == "session-log"
    for text in (
        "Maria",
        "Dr. Alan Patel",
        "Right total knee replacement",
        "128/82",
        "136/84",
        "Sit-to-stand",
    ):
        assert text in card.markdown, text
    assert (
        "referral.physician" not in card.missing_fields and "diagnosis" not in card.missing_fields
    )
    assert card.downloads["docx"] == f"/v1/chat/drafts/{card.id}?format=docx"
    stored = chat.db.get_draft(TENANT, card.id)
    assert stored is not None
    assert export(stored.to_draft(), "docx")[:2] == b"PK"
    assert export(stored.to_draft(), "pdf")[:5] == b"%PDF-"
    case = chat.db.get_case(TENANT, "maria")
    assert case is not None and case.referral is not None
    assert case.referral.physician == "Dr. Alan Patel" and len(case.sessions) == 1


def test_draft_it_anyway_leaves_placeholders_and_is_never_taken_as_the_diagnosis(
    chat: ChatService,
) -> None:
    first = chat.reply(
        TENANT, fresh("session log for Ines today: 2x8 wall push-ups, BP 124/80 before, RPE 4")
    )
    assert first.pending == "referral.physician,diagnosis"
    second = chat.reply(TENANT, "draft it anyway", first.conversation_id)
    card = second.draft
    assert card is not None, second.reply
    assert "anyway" not in card.markdown.lower()
    assert {"referral.physician", "diagnosis"} <= set(card.missing_fields)
    case = chat.db.get_case(TENANT, "ines")
    assert case is not None and len(case.sessions) == 1
    assert case.referral is None or not case.referral.diagnosis


@pytest.mark.parametrize(
    "request_",
    ["warmer tone", "numbered list instead of bullets", "make it a bit more formal please",
     "chattier, it's a text to the client", "drop the sign-off",
     "make it friendlier and remove the sign-off"],
)
def test_a_request_to_reword_a_draft_says_drafts_follow_the_facts_and_keeps_the_draft_waiting(
    chat: ChatService, request_: str
) -> None:
    first = chat.reply(
        TENANT, fresh("session log for Ines today: 2x8 wall push-ups, BP 124/80 before, RPE 4")
    )
    edit = chat.reply(TENANT, fresh(request_), first.conversation_id)
    assert edit.category == "in_scope" and edit.draft is None
    assert "templates" in edit.reply and "draft it again" in edit.reply
    assert chat.db.audit_log(TENANT) == []
    later = chat.reply(TENANT, "Dr. Ruth Okafor, rheumatology; rheumatoid arthritis",
                       first.conversation_id)
    assert later.draft is not None and "Dr. Ruth Okafor" in later.draft.markdown
    again = chat.reply(TENANT, request_, first.conversation_id)
    assert f"/v1/chat/drafts/{later.draft.id}?format=docx" in again.reply


def _asked_for_the_diagnosis(chat: ChatService, request: str) -> str:
    """A letter request for a new client whose physician is given: the chat asks only for the
    diagnosis. Returns the conversation."""
    first = chat.reply(TENANT, fresh(request))
    assert first.pending == "diagnosis", first.reply
    return first.conversation_id


@pytest.mark.parametrize("diagnosis", ["myocardial infarction in 2024", "hypertension"])
def test_a_diagnosis_given_when_asked_is_recorded_not_escalated(
    chat: ChatService, diagnosis: str
) -> None:
    conversation = _asked_for_the_diagnosis(
        chat, "introduction letter for Omar Haddad, Dr. Lena Park, cardiology"
    )
    answered = chat.reply(TENANT, fresh(diagnosis), conversation)
    assert answered.category == "in_scope", answered.reply
    assert answered.draft is not None and diagnosis[1:] in answered.draft.markdown
    audit = chat.db.audit_log(TENANT)  # the guard's verdict was overridden: that is audited
    assert all(a.reason.startswith("chat action despite guard") for a in audit)


@pytest.mark.parametrize(
    "message",
    [
        "he just collapsed on the treadmill and isn't breathing",  # a rule's emergency
        "she looks really unwell and isn't making sense",  # the model's alone
        "he has gone very pale and quiet",
        "he seems out of it",
    ],
)
def test_a_live_emergency_sent_while_a_field_is_asked_is_still_escalated(
    chat: ChatService, message: str
) -> None:
    conversation = _asked_for_the_diagnosis(
        chat, "introduction letter for Omar Haddad, Dr. Lena Park, cardiology"
    )
    reply = chat.reply(TENANT, fresh(message), conversation)
    assert reply.category == "emergency" and reply.draft is None
    case = chat.db.get_case(TENANT, "omar haddad")
    assert case is not None and not case.diagnosis


def test_not_knowing_a_field_yet_stores_nothing_and_keeps_asking(chat: ChatService) -> None:
    conversation = _asked_for_the_diagnosis(
        chat, "introduction letter for Uma Reid, Dr. Tara Singh, cardiology"
    )
    later = chat.reply(TENANT, fresh("not sure yet, I will check the referral"), conversation)
    assert later.pending == "diagnosis" and later.draft is None
    assert "draft it anyway" in later.reply
    case = chat.db.get_case(TENANT, "uma reid")
    assert case is not None and not case.diagnosis


@pytest.mark.parametrize("again", ["draft the session log", "write the letter now", "please make the intro letter"])
def test_asking_for_the_draft_again_is_not_taken_as_the_diagnosis(
    chat: ChatService, again: str
) -> None:
    conversation = _asked_for_the_diagnosis(
        chat, "introduction letter for Ada Moss, Dr. Tara Singh, cardiology"
    )
    later = chat.reply(TENANT, fresh(again), conversation)
    assert later.draft is None and "diagnosis" in (later.pending or "")
    case = chat.db.get_case(TENANT, "ada moss")
    assert case is not None and not case.diagnosis


def test_a_discharge_reason_is_taken_as_the_reason_not_a_goal_or_the_diagnosis(
    chat: ChatService,
) -> None:
    first = chat.reply(TENANT, fresh("discharge summary for Nell Burke"))
    assert "options.discharge_reason" in (first.pending or "")
    reason = chat.reply(TENANT, fresh("she met all her goals and moved home"), first.conversation_id)
    assert reason.category == "in_scope", reason.reply
    assert reason.pending == "referral.physician,diagnosis"
    done = chat.reply(
        TENANT, fresh("Dr. Paul Reyes, orthopedic surgery; right hip replacement"),
        first.conversation_id,
    )
    assert done.draft is not None
    assert "met all her goals and moved home" in done.draft.markdown
    case = chat.db.get_case(TENANT, "nell burke")
    assert case is not None and case.diagnosis == "Right hip replacement" and not case.goals


def test_who_the_physician_is_is_never_taken_for_the_diagnosis(chat: ChatService) -> None:
    first = chat.reply(TENANT, fresh("introduction letter for Carla Dunne"))
    second = chat.reply(TENANT, fresh("her GP is Dr. Helen Wu, a rheumatologist"), first.conversation_id)
    assert second.pending == "diagnosis", second.reply
    case = chat.db.get_case(TENANT, "carla dunne")
    assert case is not None and not case.diagnosis


def test_a_letter_to_another_doctor_goes_to_them_and_keeps_the_referring_physician(
    chat: ChatService,
) -> None:
    chat.reply(
        TENANT,
        fresh("Nora Bellamy's physician is Dr. Paul Reyes, orthopedic surgery; diagnosis right hip"),
    )
    letter = chat.reply(
        TENANT, fresh("progress update letter to Dr. Green (her cardiologist) for Nora Bellamy")
    )
    assert letter.draft is not None, letter.reply
    assert "Dear Dr. Green" in letter.draft.markdown
    assert "Reyes" not in letter.draft.markdown.split("Dear")[1].split("\n")[0]
    named = chat.reply(
        TENANT, fresh("progress update letter for Nora Bellamy to her cardiologist Dr. Amy Wong")
    )
    assert named.draft is not None and "Dear Dr. Wong" in named.draft.markdown
    assert "Progress update to Dr. Amy Wong" in named.draft.title
    other = chat.reply(TENANT, fresh("session log for Nora Bellamy, Dr. Ivo Lund asked for it"))
    assert "on file is Dr. Paul Reyes" in other.reply and "Dr. Ivo Lund" in other.reply
    thanks = chat.reply(TENANT, fresh("thank-you letter to Dr. Reyes for Nora Bellamy"))
    assert thanks.draft is not None and "Dr. Paul Reyes" in thanks.draft.markdown
    assert "on file" not in thanks.reply
    case = chat.db.get_case(TENANT, "nora bellamy")
    assert case is not None and case.referral is not None
    assert (case.referral.physician, case.referral.specialty) == (
        "Dr. Paul Reyes", "orthopedic surgery"
    )


def test_a_log_asked_for_a_date_shows_that_day_s_session_or_says_there_is_none(
    chat: ChatService,
) -> None:
    chat.reply(TENANT, fresh("Tess Gray's physician is Dr. Al Poe, cardiology; diagnosis hypertension"))
    chat.reply(TENANT, fresh("session log for Tess Gray yesterday: 3x10 squats, BP 120/80 before"))
    chat.reply(TENANT, fresh("session log for Tess Gray today: 2x10 lunges, BP 118/78 before"))
    yesterday = chat.reply(TENANT, fresh("session log for Tess Gray for yesterday"))
    assert yesterday.draft is not None
    assert "24 November 2026" in yesterday.draft.markdown and "Squats" in yesterday.draft.markdown
    monday = chat.reply(TENANT, fresh("session log for Tess Gray for Monday"))
    assert monday.draft is None
    assert "no session 2026-11-23" in monday.reply and "2 (2026-11-25)" in monday.reply


def test_the_case_is_built_up_across_conversations(chat: ChatService) -> None:
    chat.reply(
        TENANT,
        fresh("Maria Gomez was referred by Dr. Alan Patel for a right total knee replacement"),
    )
    later = chat.reply(
        TENANT, fresh("add today's session for Maria: 2x12 step-ups, HR 72 before, 110 after")
    )
    assert later.draft is not None, later.reply
    assert "Maria Gomez" in later.draft.markdown and "Dr. Alan Patel" in later.draft.markdown
    assert chat.db.list_cases(TENANT) == ["Maria Gomez"]


def test_a_tier_question_uses_the_profile_after_an_update_is_confirmed(chat: ChatService) -> None:
    ask = chat.reply(TENANT, fresh("I've now done 62 supervised assessments"))
    assert ask.pending == "confirm_profile" and "62" in ask.reply
    assert chat.db.get_profile(TENANT) is None
    saved = chat.reply(TENANT, "yes", ask.conversation_id)
    profile = chat.db.get_profile(TENANT)
    assert profile is not None and profile.supervised_assessments == 62
    assert saved.tier_gap is not None

    gap = chat.reply(TENANT, fresh("what do I still need for the next tier?"), ask.conversation_id)
    assert gap.tier_gap is not None
    statuses = {s["id"]: s for s in gap.tier_gap["met"] + gap.tier_gap["missing"]}
    assert statuses["supervised_assessments"]["have"] == 62
    assert "To move up to Intermediate" in gap.reply
    assert "Mastery targets of the Essential tier" in gap.reply
    assert "draft skill catalog" in gap.reply


def test_a_declined_profile_update_changes_nothing(chat: ChatService) -> None:
    ask = chat.reply(TENANT, fresh("I have 14 months in practice now"))
    assert ask.pending == "confirm_profile"
    chat.reply(TENANT, "no", ask.conversation_id)
    assert chat.db.get_profile(TENANT) is None


def test_a_restart_keeps_conversations_cases_profiles_and_pending_questions(
    make_chat: Callable[[], ChatService],
) -> None:
    before = make_chat()
    first = before.reply(
        TENANT,
        fresh(
            "session log for Maria today: 3x10 sit-to-stand, BP 128/82 before, 136/84 after, RPE 5"
        ),
    )
    ask = before.reply(
        TENANT, fresh("I've now done 62 supervised assessments"), first.conversation_id
    )
    before.reply(TENANT, "yes", ask.conversation_id)
    before.db.close()

    after = make_chat()
    done = after.reply(
        TENANT,
        fresh("Dr. Alan Patel, orthopedic surgery; right total knee replacement"),
        first.conversation_id,
    )
    assert done.draft is not None
    conversation = after.db.get_conversation(TENANT, first.conversation_id)
    assert conversation is not None and len(conversation.messages) == 8
    assert after.db.get_profile(TENANT).supervised_assessments == 62  # type: ignore[union-attr]
    assert after.db.get_case(TENANT, "Maria") is not None


def test_tenant_b_never_reaches_tenant_a(chat: ChatService) -> None:
    marker, doctor, count = "Quillfeather", "Dr. Ottoline Vexley", "487"
    a = chat.reply(
        TENANT, fresh(f"Maria {marker} was referred by {doctor} for a right total knee replacement")
    )
    chat.reply(TENANT, fresh(f"I've now done {count} supervised assessments"), a.conversation_id)
    chat.reply(TENANT, "yes", a.conversation_id)

    with pytest.raises(ConversationNotFound):
        chat.reply(OTHER, "hello", a.conversation_id)
    b = chat.reply(OTHER, fresh(f"session log for Maria {marker} today: 3x10 squats, RPE 4"))
    assert b.draft is None and "referring physician" in b.reply
    tier = chat.reply(OTHER, fresh("what do I still need for the next tier?"), b.conversation_id)
    assert "don't have your practitioner profile" in tier.reply
    refused = chat.reply(
        OTHER, fresh(f"What dose of her statin should Maria {marker} take?"), b.conversation_id
    )
    assert refused.category == "clinical_advice"
    seen = [m.content for c in chat.db.list_conversations(OTHER)
            for m in chat.db.get_conversation(OTHER, c.id).messages  # type: ignore[union-attr]
            if m.role == "assistant"]  # fmt: skip
    assert seen and not any(doctor in text or count in text for text in seen)
    assert chat.db.audit_log(OTHER)[0].conversation_id == b.conversation_id


@pytest.mark.parametrize(
    ("message", "error"), [("", "empty"), ("   ", "empty"), ("x" * 4001, "longer")]
)
def test_bad_messages_are_refused(chat: ChatService, message: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        chat.reply(TENANT, message)


def test_an_unknown_conversation_is_not_found(chat: ChatService) -> None:
    with pytest.raises(ConversationNotFound):
        chat.reply(TENANT, "hello", "0" * 32)
    with pytest.raises(ConversationNotFound):
        chat.stream(TENANT, "hello", "0" * 32)


def test_stream_sends_meta_deltas_and_the_full_reply(chat: ChatService) -> None:
    events = list(
        chat.stream(TENANT, fresh("What belongs in a progress report to the referring physician?"))
    )
    names = [e.event for e in events]
    assert names[0] == "meta" and names[-1] == "done" and set(names[1:-1]) == {"delta"}
    done = events[-1].data
    assert events[0].data == {k: done[k] for k in ("conversation_id", "message_id", "category")}
    assert "".join(e.data["text"] for e in events[1:-1]) == done["reply"]
    stored = chat.db.get_conversation(TENANT, done["conversation_id"])
    assert stored is not None and stored.messages[-1].content == done["reply"]
    assert stored.messages[-1].citations == done["citations"]


def test_a_greeting_gets_the_help_text(chat: ChatService) -> None:
    reply = chat.reply(TENANT, "hello")
    assert reply.category == "in_scope" and "Draft documents" in reply.reply


@pytest.mark.parametrize("message", ["?", "...", "🙂", "??!", "zzzzzzzz"])
def test_a_message_with_no_words_gets_the_help_text_not_a_refusal(
    chat: ChatService, message: str
) -> None:
    reply = chat.reply(TENANT, message)
    assert reply.category == "in_scope" and "Draft documents" in reply.reply
    assert "outside what I can help with" not in reply.reply
    assert "call emergency services" in reply.reply


@pytest.mark.parametrize("message", ["🆘", "🚑🚑"])
def test_an_sos_or_ambulance_symbol_alone_is_escalated(chat: ChatService, message: str) -> None:
    reply = chat.reply(TENANT, message)
    assert reply.category == "emergency" and "emergency services" in reply.reply


def test_letters_in_disguise_are_read_by_the_guard_not_taken_for_no_words(
    chat: ChatService,
) -> None:
    circled = "".join(chr(0x24D0 + ord(c) - 97) if c.isalpha() else c for c in
                      "she collapsed and is not breathing")
    reply = chat.reply(TENANT, circled)
    assert reply.category == "emergency" and "Draft documents" not in reply.reply


@pytest.mark.parametrize("message", ["thnks!", "cheers, much appreciated", "tysm :)"])
def test_thanks_with_typos_or_slang_gets_a_welcome_not_i_dont_know(
    chat: ChatService, message: str
) -> None:
    reply = chat.reply(TENANT, message)
    assert reply.category == "in_scope" and "welcome" in reply.reply
    assert "I don't know" not in reply.reply


def test_a_goodbye_gets_a_goodbye_not_a_welcome(chat: ChatService) -> None:
    reply = chat.reply(TENANT, "ok that’s me done, thanks!")
    assert reply.category == "in_scope" and reply.reply.startswith("Bye")


@pytest.mark.parametrize(
    "message",
    [
        "Maria's physician Dr. Alan Patel says she should double her metformin, is that right?",
        "Maria Gomez, Dr. Alan Patel: how much ibuprofen can she take for the knee?",
        "I think she probably has a torn meniscus",
        "What dose of her blood pressure pill should Maria skip before we train?",
    ],
)
def test_clinical_content_is_refused_even_while_a_draft_waits_for_fields(
    chat: ChatService, message: str
) -> None:
    first = chat.reply(TENANT, fresh("session log for Maria today: 3x10 mini squats, RPE 4"))
    assert first.pending == "referral.physician,diagnosis"
    reply = chat.reply(TENANT, fresh(message), first.conversation_id)
    assert reply.category != "in_scope" and reply.draft is None
    case = chat.db.get_case(TENANT, "Maria")
    assert case is not None and case.diagnosis is None


def _classifier_says_clinical(text: str, history: object = None) -> Decision:
    """A guard whose model alone refuses everything as clinical advice (no rule fired)."""
    return Decision(
        Category.CLINICAL_ADVICE, False, "classifier:clinical_advice p=0.91", "not answered"
    )


def test_a_case_statement_the_classifier_alone_calls_clinical_is_recorded_and_audited(
    chat: ChatService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chat.services.guard, "check_input", _classifier_says_clinical)
    reply = chat.reply(
        TENANT, fresh("Rosa Delgado's physician is Dr. Ines Marlow, orthopedic surgery")
    )
    assert reply.category == "in_scope" and "Dr. Ines Marlow" in reply.reply
    case = chat.db.get_case(TENANT, "Rosa Delgado")
    assert case is not None and case.referral is not None
    assert case.referral.physician == "Dr. Ines Marlow"
    audit = chat.db.audit_log(TENANT)
    assert len(audit) == 1 and audit[0].message_id == reply.message_id
    assert "clinical_advice" in audit[0].reason and "classifier" in audit[0].reason


def test_a_question_the_classifier_calls_clinical_is_never_overridden(
    chat: ChatService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chat.services.guard, "check_input", _classifier_says_clinical)
    reply = chat.reply(
        TENANT, fresh("Rosa Delgado's physician is Dr. Ines Marlow; should she stop her statin?")
    )
    assert reply.category == "clinical_advice" and reply.reply == "not answered"
    assert chat.db.get_case(TENANT, "Rosa Delgado") is None


@pytest.mark.parametrize(
    "question",
    [
        "Which red flags does METI want me to check every session?",
        "what are the red flags?",
        "ok so what are the post-rehab red flags",
        "please list the red flags from the framework",
    ],
)
def test_a_question_asking_for_the_red_flags_lists_all_nine(
    chat: ChatService, question: str
) -> None:
    reply = chat.reply(TENANT, fresh(question))
    assert "nine red flags" in reply.reply
    listed = [line for line in reply.reply.splitlines() if line[:2].rstrip(".").isdigit()]
    assert len(listed) == 9 and "Abnormal vital signs" in reply.reply


def test_a_quoted_list_of_limits_keeps_the_sentence_that_says_what_a_reading_above_means(
    chat: ChatService,
) -> None:
    reply = chat.reply(TENANT, fresh("name the vital sign limits for stopping exercise"))
    assert "160/100" in reply.reply and "180/105" in reply.reply
    assert "should not go ahead that day" in reply.reply


@pytest.mark.parametrize(
    "question",
    ["what are the requirements for the Intermediate tier?", "so what are the steps to get to Intermediate?"],
)
def test_a_question_about_one_tier_never_gets_another_tier_s_list(
    chat: ChatService, question: str
) -> None:
    reply = chat.reply(TENANT, fresh(question))
    assert reply.category == "in_scope" and "Intermediate" in reply.reply
    assert "250 or more documented sessions" not in reply.reply
    assert "at least 24 months" not in reply.reply


def test_a_correction_changes_the_logged_exercise_and_adds_nothing(chat: ChatService) -> None:
    first = chat.reply(
        TENANT,
        fresh("Ines Varga was referred by Dr. Paul Reyes, orthopedic surgery, for a left hip "
              "replacement"),
    )
    chat.reply(
        TENANT,
        fresh("session log for Ines Varga today: 3x10 leg press 40 kg, 2x15 bridges, RPE 4"),
        first.conversation_id,
    )
    fixed = chat.reply(TENANT, fresh("sorry, it was 3x12 not 3x10"), first.conversation_id)
    assert "Leg press" in fixed.reply and "3 x 12" in fixed.reply
    case = chat.db.get_case(TENANT, "ines varga")
    assert case is not None and case.diagnosis == "Left hip replacement"
    rows = [(e.name, e.sets, e.reps) for e in case.sessions[-1].exercises]
    assert rows == [("Leg press", 3, 12), ("Bridges", 2, 15)]
    unclear = chat.reply(TENANT, fresh("the rows were 2x10 not 2x8"), first.conversation_id)
    assert "couldn't tell which" in unclear.reply
    case = chat.db.get_case(TENANT, "ines varga")
    assert case is not None and len(case.sessions[-1].exercises) == 2


def test_physician_limits_are_recorded_and_sessions_are_checked_against_them(
    chat: ChatService,
) -> None:
    # the intake line itself is a known miss of the model (tests/guardrails KNOWN_MISSES)
    chat.db.save_case(TENANT, parse_case({
        "client": {"name": "Ann Wu"}, "diagnosis": "Type 2 diabetes",
        "referral": {"physician": "Dr. Priya Nair", "specialty": "endocrinology"},
    }))
    limits = chat.reply(
        TENANT, fresh("Ann Wu's physician limits: blood pressure up to 150/95, glucose 100 to 250")
    )
    assert "150/95" in limits.reply and limits.draft is None
    case = chat.db.get_case(TENANT, "ann wu")
    assert case is not None and case.diagnosis == "Type 2 diabetes" and case.sessions == []
    assert case.limits is not None and case.limits.bp_max == "150/95"
    assert (case.limits.glucose_min, case.limits.glucose_max) == (100, 250)
    log = chat.reply(
        TENANT, fresh("session log for Ann Wu today: 2x10 sit-to-stand, BP 155/92 before"),
        limits.conversation_id,
    )
    assert log.draft is not None
    assert any("above the physician's limit of 150/95" in w for w in log.draft.warnings)
    assert "blood glucose 100 to 250 mg/dL" in log.draft.markdown


def test_limits_given_for_her_are_recorded_on_the_client_the_conversation_is_on(
    chat: ChatService,
) -> None:
    first = chat.reply(
        TENANT, fresh("Mira Holt's physician is Dr. Omar Vance, cardiology; diagnosis hypertension")
    )
    limits = chat.reply(
        TENANT, fresh("her physician's limits: BP up to 146/92, HR max 118"), first.conversation_id
    )
    assert "146/92" in limits.reply and "Mira Holt" in limits.reply, limits.reply
    case = chat.db.get_case(TENANT, "mira holt")
    assert case is not None and case.limits is not None
    assert (case.limits.bp_max, case.limits.hr_max) == ("146/92", 118)


def test_a_doctor_the_practitioner_writes_or_calls_never_replaces_the_referring_physician(
    chat: ChatService,
) -> None:
    chat.reply(
        TENANT, fresh("new pt: Hale Ito, s/p L TKR, ref by Dr. Marta Lopez, orthopedic surgery")
    )
    chat.reply(TENANT, fresh("write a change-in-status notice to Dr. Lopez for Hale Ito: swelling"))
    log = chat.reply(
        TENANT,
        fresh(
            "session log for Hale Ito today: 2x10 leg press, BP 120/80 before; she reported "
            "knee swelling so we stopped and I will call Dr. Lopez"
        ),
    )
    assert log.draft is not None
    assert "I will call Dr. Lopez" in log.draft.markdown
    case = chat.db.get_case(TENANT, "hale ito")
    assert case is not None and case.referral is not None
    assert case.referral.physician == "Dr. Marta Lopez"
    shorter = chat.reply(TENANT, fresh("Hale Ito's physician is Dr. Lopez"))
    assert "Dr. Lopez" not in shorter.reply or "Marta" in shorter.reply
    case = chat.db.get_case(TENANT, "hale ito")
    assert case is not None and case.referral is not None
    assert case.referral.physician == "Dr. Marta Lopez"


def test_a_number_the_log_cannot_take_is_left_out_and_the_reply_says_so(chat: ChatService) -> None:
    chat.reply(TENANT, fresh("Omar Sadiq's physician is Dr. Ines Roa, cardiology; diagnosis hypertension"))
    log = chat.reply(
        TENANT,
        fresh("session log for Omar Sadiq today: 3x10 leg press 1e309 kg, BP 128/82 before, RPE 15"),
    )
    assert log.draft is not None, log.reply
    assert "RPE 15" in log.reply and "1e309 kg" in log.reply
    case = chat.db.get_case(TENANT, "omar sadiq")
    assert case is not None and case.sessions[-1].rpe is None
    assert [(e.name, e.load) for e in case.sessions[-1].exercises] == [("Leg press", None)]


def test_after_an_emergency_a_what_now_gets_the_follow_up_steps_once(chat: ChatService) -> None:
    alarm = chat.reply(TENANT, fresh("my client just collapsed on the rower and isn't responding"))
    assert alarm.category == "emergency"
    then = chat.reply(TENANT, fresh("ok thanks, what now?"), alarm.conversation_id)
    assert "referring physician" in then.reply and "clears them again" in then.reply
    later = chat.reply(TENANT, fresh("ok thanks"), alarm.conversation_id)
    assert "clears them again" not in later.reply


@pytest.mark.parametrize(
    ("follow_up", "steps"),
    [
        ("ok he's in the ambulance now, what now?", True),
        ("paramedics took him, what should I do?", True),
        ("he's in the ambulance but not breathing, what now?", False),
        ("the ambulance is here and he collapsed again, what now?", False),
        ("paramedics took him, what now, should I give him an aspirin?", False),
    ],
)
def test_once_the_client_is_in_care_what_next_gets_the_steps_unless_it_goes_on(
    chat: ChatService, follow_up: str, steps: bool
) -> None:
    alarm = chat.reply(TENANT, fresh("my client just went down on the bike and isn't responding"))
    assert alarm.category == "emergency"
    then = chat.reply(TENANT, fresh(follow_up), alarm.conversation_id)
    assert ("clears them again" in then.reply) is steps, then.reply
    assert (then.category in ("emergency", "clinical_advice")) is not steps


@pytest.mark.parametrize(
    ("question", "noted"),
    [
        ("How should I answer a client who says she has been feeling hopeless lately?", True),
        ("he seems really down since his surgery, how do I keep him coming to sessions?", True),
        ("my client with depression on file wants to start strength work, what should I log?",
         False),
    ],
)
def test_a_question_about_a_clients_low_mood_gets_the_referral_and_crisis_line(
    chat: ChatService, question: str, noted: bool
) -> None:
    reply = chat.reply(TENANT, fresh(question))
    assert reply.category == "in_scope", reply.reply
    assert ("988" in reply.reply and "physician" in reply.reply) is noted


def test_a_new_physician_with_the_same_surname_replaces_the_one_on_file(chat: ChatService) -> None:
    chat.reply(TENANT, fresh("new pt: Ines Mora, s/p TKR, ref by Dr. Maria Lopez, orthopedic surgery"))
    chat.reply(TENANT, fresh("Ines Mora's physician is now Dr. Ana Lopez, cardiology"))
    case = chat.db.get_case(TENANT, "ines mora")
    assert case is not None and case.referral is not None
    assert (case.referral.physician, case.referral.specialty) == ("Dr. Ana Lopez", "cardiology")


@pytest.mark.parametrize(
    "message",
    [
        "Ines Vale was referred to Dr. Amy Wong, cardiology, for a stress test",
        "Ines Vale: sent her to Dr. Amy Wong, cardiology, for an echo",
        "Ines Vale: referring her to Dr. Sam Ortiz for a stress test",
    ],
)
def test_a_doctor_the_client_was_sent_to_changes_nothing_of_the_referral(
    chat: ChatService, message: str
) -> None:
    chat.reply(TENANT, fresh("new pt: Ines Vale, s/p TKR, ref by Dr. Maria Lopez, orthopedic surgery"))
    said = chat.reply(TENANT, fresh(message)).reply
    assert "not recorded as the referring physician" in said and "Dr. Maria Lopez" in said
    case = chat.db.get_case(TENANT, "ines vale")
    assert case is not None and case.referral is not None
    assert (case.referral.physician, case.referral.specialty) == (
        "Dr. Maria Lopez", "orthopedic surgery"
    )


def test_a_letter_naming_the_referrer_and_another_doctor_goes_to_the_other(
    chat: ChatService,
) -> None:
    chat.reply(TENANT, fresh("new pt: Ines Roca, s/p TKR, ref by Dr. Alan Patel, orthopedic surgery"))
    letter = chat.reply(
        TENANT,
        fresh("progress update letter for Ines Roca (referred by Dr. Alan Patel) to Dr. Amy Wong"),
    )
    assert letter.draft is not None and "Dear Dr. Wong" in letter.draft.markdown
    case = chat.db.get_case(TENANT, "ines roca")
    assert case is not None and case.referral is not None
    assert case.referral.specialty == "orthopedic surgery"


def test_a_thank_you_to_another_doctor_names_the_referrer_in_plain_words(
    chat: ChatService,
) -> None:
    chat.reply(TENANT, fresh("new pt: Ines Sol, s/p TKR, ref by Dr. Alan Patel, orthopedic surgery"))
    turn = chat.reply(TENANT, fresh("write a thank-you letter to Dr. Amy Wong for Ines Sol"))
    assert turn.draft is None
    assert "Dr. Alan Patel" in turn.reply and "Dr. Amy Wong" in turn.reply
    assert "--to-physician" not in turn.reply and "options." not in turn.reply
    thanks = chat.reply(TENANT, fresh("write a thank-you letter to Dr. Patel for Ines Sol"))
    assert thanks.draft is not None and "Dear Dr. Patel" in thanks.draft.markdown


def test_a_question_longer_than_the_search_allows_is_still_answered(chat: ChatService) -> None:
    padded = fresh("What must a session log contain? ") * 80  # pasted over and over
    assert 2000 < len(padded) <= 4000
    reply = chat.reply(TENANT, padded)
    assert reply.citations, reply.reply


def test_a_session_sent_while_the_diagnosis_is_asked_is_never_taken_for_it(
    chat: ChatService,
) -> None:
    first = chat.reply(TENANT, fresh("introduction letter for Theo Brandt, Dr. Lena Kim"))
    assert first.pending == "diagnosis", first.reply
    chat.reply(
        TENANT, fresh("Theo Brandt today: 2x10 step-ups, BP 130/80 before, 136/82 after"),
        first.conversation_id,
    )
    case = chat.db.get_case(TENANT, "theo brandt")
    assert case is not None and not case.diagnosis and len(case.sessions) == 1


def test_the_practitioner_named_in_the_profile_signs_drafts(chat: ChatService) -> None:
    first = chat.reply(TENANT, fresh("my name is Dana Whitlock"))
    chat.reply(TENANT, "yes", first.conversation_id)
    log = chat.reply(
        TENANT,
        fresh("session log for Rui Costa today: 2x12 wall push-ups; Dr. Ana Silva, cardiology; "
              "diagnosis: hypertension"),
        first.conversation_id,
    )
    assert log.draft is not None and "Dana Whitlock" in log.draft.markdown
    assert "practitioner.name" not in log.draft.missing_fields
    assert "practitioner.phone" in log.draft.missing_fields
    assert "your phone number" in log.reply and "practitioner.phone" not in log.reply


def _classifier_says_emergency(text: str, history: object = None) -> Decision:
    """A guard whose model alone escalates everything (no rule fired)."""
    return Decision(Category.EMERGENCY, False, "classifier:emergency p=0.39", "emergency")


def test_an_intake_line_is_recorded_when_only_the_model_feared_an_emergency(
    chat: ChatService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chat.services.guard, "check_input", _classifier_says_emergency)
    recorded = chat.reply(
        TENANT, fresh("New client Grace Liu, breast cancer survivor, referred by Dr. Maria Santos, "
                      "oncology.")
    )
    assert recorded.category == "in_scope" and "Dr. Maria Santos" in recorded.reply
    case = chat.db.get_case(TENANT, "grace liu")
    assert case is not None and case.referral is not None and case.referral.specialty == "oncology"
    for message in (
        # fail closed: a time, an amount or a free-text field keeps the model's escalation
        "New client Ida Holm, breast cancer survivor, finished chemo 3 months ago, referred "
        "by Dr. Maria Santos, oncology. Precaution: lymphedema risk left arm.",
        "New client Ida Holm, diagnosis: myocardial infarction 5 minutes ago, referred by "
        "Dr. Maria Santos, cardiology.",
        "New client Ida Holm, diagnosis: atrial fibrillation at 180 bpm, referred by Dr. Maria Santos",
        "New client Ida Holm, goal: safe insulin dose for training, referred by Dr. Maria Santos",
        "New client Ida Holm, diagnosis: asthma, referred by Dr. Maria Santos. Precautions no "
        "inhaler use.",
        "New client Hal Berg, referred by Dr. Ana Silva, cardiology, he just collapsed in the car park",
        "New client Noor Haddad, diagnosis: consistent with a stroke, referred by Dr. Ana Silva",
        "New client Noor Haddad, diagnosis: heart failure, referred by Dr. Ana Silva, cardiology. "
        "Precaution: appears to have a pulmonary embolism.",
        "New client Noor Haddad, diagnosis: DKA happening, referred by Dr. Ana Silva",
        "New client Ivo Lund, unstable angina, chest pain at rest since yesterday, referred by "
        "Dr. Ana Silva, cardiology",
        "session log for Ida Roth: 2x10 step-ups; Dr. Ana Silva, cardiology; diagnosis: angina",
        # found in review: an acute event or a place of now inside an intake line
        "New client Noor Haddad, diagnosed with a stroke here in the gym, referred by Dr. Ana Silva",
        "Noor Haddad, diagnosis: cardiac arrest on the treadmill, Dr. Ana Silva, cardiology",
        "New client Noor Haddad, diagnosis: hypoglycaemic coma, referred by Dr. Ana Silva",
    ):
        escalated = chat.reply(TENANT, fresh(message))
        assert escalated.category == "emergency", message
    assert chat.db.get_case(TENANT, "hal berg") is None


@pytest.mark.parametrize("verdict", [_classifier_says_emergency, _classifier_says_clinical])
def test_a_plain_intake_line_with_a_labelled_diagnosis_is_recorded_over_the_model_alone(
    chat: ChatService, monkeypatch: pytest.MonkeyPatch, verdict: Callable[..., Decision]
) -> None:
    monkeypatch.setattr(chat.services.guard, "check_input", verdict)
    reply = chat.reply(
        TENANT, fresh("New client Rhea Moss, 58, diagnosis: type 2 diabetes, referred by "
                      "Dr. Omar Nasser, endocrinology.")
    )
    case = chat.db.get_case(TENANT, "rhea moss")
    assert reply.category == "in_scope" and case is not None
    assert case.diagnosis == "Type 2 diabetes"
    assert case.referral is not None and case.referral.physician == "Dr. Omar Nasser"
    for message in (  # found in the second review: never recorded over the model
        "New client Lev Ortiz, observed: lips purple and no response, diagnosis: asthma, "
        "referred by Dr. Omar Nasser, respiratory medicine.",
        "New client Lev Ortiz, goal: safe insulin dose for training, referred by Dr. Omar Nasser",
        "Lev Ortiz's physician is Dr. Omar Nasser, cardiology; diagnosis was cardiac tamponade "
        "3 minutes ago",
    ):
        assert chat.reply(TENANT, fresh(message)).category != "in_scope", message
    assert chat.db.get_case(TENANT, "lev ortiz") is None


@pytest.mark.parametrize(
    "message", ["I did 5 more assessments this month", "add 5 more supervised assesments"]
)
def test_a_relative_count_adds_to_the_one_on_file(chat: ChatService, message: str) -> None:
    first = chat.reply(TENANT, fresh("I've now done 40 supervised assessments"))
    chat.reply(TENANT, "yes", first.conversation_id)
    more = chat.reply(TENANT, fresh(message), first.conversation_id)
    assert more.pending == "confirm_profile" and "45" in more.reply, more.reply
    chat.reply(TENANT, "yes", first.conversation_id)
    profile = chat.db.get_profile(TENANT)
    assert profile is not None and profile.supervised_assessments == 45


def test_a_client_name_spelled_again_renames_the_case_and_keeps_its_sessions(
    chat: ChatService,
) -> None:
    first = chat.reply(
        TENANT,
        fresh("session log for Katharine Bell today: 2x10 bridges; Dr. Sam Ortiz, orthopedic "
              "surgery; diagnosis: right hip replacement"),
    )
    assert first.draft is not None
    fixed = chat.reply(TENANT, fresh("her name is spelled Katherine"), first.conversation_id)
    assert "Katherine Bell" in fixed.reply, fixed.reply
    assert chat.db.get_case(TENANT, "katharine bell") is None
    case = chat.db.get_case(TENANT, "katherine bell")
    assert case is not None and len(case.sessions) == 1 and case.diagnosis == "Right hip replacement"
    again = chat.reply(TENANT, fresh("session log for Katherine Bell today"), first.conversation_id)
    assert again.draft is not None and "Katherine Bell" in again.draft.markdown
    chat.reply(TENANT, fresh("my name is spelled Dana Leigh"), first.conversation_id)
    assert chat.db.list_cases(TENANT) == ["Katherine Bell"]  # the practitioner's own name


def test_a_clinical_question_naming_a_red_flag_says_stop_and_refer_and_names_the_physician(
    chat: ChatService, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat.reply(TENANT, fresh("Margaret Hale's physician is Dr. Susan Reyes, orthopedic surgery"))
    monkeypatch.setattr(chat.services.guard, "check_input", _classifier_says_clinical)
    refused = chat.reply(  # a new conversation: the client is found by her first name
        TENANT, fresh("Margaret says her calf is painful and swollen since yesterday, what is it?")
    )
    assert refused.category == "clinical_advice"
    assert "Dr. Susan Reyes" in refused.reply
    assert "red flag (swelling)" in refused.reply and "Do not start or continue" in refused.reply
    plain = chat.reply(
        TENANT, fresh("should she take her ibuprofen before the session?"), refused.conversation_id
    )
    assert "red flag" not in plain.reply and "Dr. Susan Reyes" in plain.reply
    healed = chat.reply(
        TENANT, fresh("her surgical wound healed fully last year; is HIIT safe for her?"),
        refused.conversation_id,
    )
    assert healed.category == "clinical_advice" and "red flag" not in healed.reply



SUGGESTED_SOURCES = {  # each question the assistant suggests, and the file that answers it
    "How many supervised MET assessments are needed before the Intermediate tier?":
        "tier-essential.md",
    "What should a session log contain?": "documentation.md",
    "When do I send a progress report to the physician?": "physician-communication.md",
    "What are METI's red flags to watch for during a session?": "red-flags-and-emergencies.md",
    "What does a referral-ready client file need?": "referral-readiness.md",
    "Which outcome measures should I track?": "outcome-measures.md",
    "What is outside a medical exercise professional's scope?": "scope-of-practice.md",
    "How do I introduce myself to a referring physician?": "physician-communication.md",
    "What does the Advanced tier require?": "tier-advanced.md",
    "How do I bill for medical exercise sessions?": "insurance-and-billing.md",
}  # fmt: skip


def test_the_suggested_questions_are_the_ones_checked_here() -> None:
    from assistant.chat.wording import replies

    assert [str(q) for q in replies()["suggested_questions"]] == list(SUGGESTED_SOURCES)


@pytest.mark.parametrize(("question", "source"), SUGGESTED_SOURCES.items())
def test_every_question_the_assistant_suggests_is_answered_from_the_file_that_covers_it(
    chat: ChatService, question: str, source: str
) -> None:
    reply = chat.reply(TENANT, question)
    assert reply.category == "in_scope", reply.reply
    assert any(c.source.endswith(source) for c in reply.citations), reply.citations


def test_a_client_typed_in_lowercase_gets_the_session_and_the_draft(chat: ChatService) -> None:
    chat.reply(TENANT, fresh("new pt: Lina Marsh, s/p TKR, ref by Dr. Alan Patel, orthopedic surgery"))
    logged = chat.reply(TENANT, fresh("session for lina today: 3x10 sit to stand, RPE 6"))
    case = chat.db.get_case(TENANT, "lina marsh")
    assert case is not None and len(case.sessions) == 1, logged.reply
    summary = chat.reply(TENANT, fresh("session log for lina marsh"))
    assert summary.draft is not None and "Sit" in summary.draft.markdown


def test_counts_given_in_a_tier_question_are_offered_for_saving_then_counted(
    chat: ChatService,
) -> None:
    asked = chat.reply(
        TENANT,
        fresh("im 14 months in, done 58 supervised assessments and got all the essential skills "
              "signed off. whats left for intermediate?"),
    )
    assert asked.pending == "confirm_profile", asked.reply
    assert "14" in asked.reply and "58" in asked.reply
    saved = chat.reply(TENANT, "yes", asked.conversation_id)
    profile = chat.db.get_profile(TENANT)
    assert profile is not None
    assert (profile.months_in_practice, profile.supervised_assessments) == (14, 58)
    assert "E01" in profile.skills_completed and "E18" in profile.skills_completed
    assert saved.tier_gap is not None and "remaining Essential skills" not in saved.reply


def test_asking_what_is_on_file_answers_from_the_stored_case(chat: ChatService) -> None:
    intake = chat.reply(
        TENANT,
        fresh("New client Ines Roy, 70, s/p left THA, referred by Dr. Omar Kwan, orthopedic "
              "surgery. Dr. Kwan says no crossing the legs and no low chairs for 6 weeks."),
    )
    assert intake.category == "in_scope"
    case = chat.db.get_case(TENANT, "ines roy")
    assert case is not None
    assert case.precautions == ["No crossing the legs", "No low chairs for 6 weeks"]
    cid = intake.conversation_id
    asked = chat.reply(TENANT, fresh("which precautions does ines roy have?"), cid)
    assert "No crossing the legs; No low chairs for 6 weeks" in asked.reply
    assert asked.citations == [] and "Dr. Omar Kwan" not in asked.reply  # only what was asked
    who = chat.reply(TENANT, fresh("and who referred her?"), cid)
    assert "Dr. Omar Kwan (orthopedic surgery)" in who.reply
    limits = chat.reply(TENANT, fresh("what limits does Ines Roy have on file"), cid)
    assert "Not recorded yet for Ines Roy: physician's limits" in limits.reply
    signed = chat.reply(TENANT, fresh("Ines Roy's consent form is signed"), cid)
    assert "permission to contact the physician on file" in signed.reply
    consent = chat.reply(TENANT, fresh("do we have her permission on file?"), cid)
    assert "Permission to contact the physician**: on file" in consent.reply
    unknown = chat.reply(TENANT, fresh("what's on file for Pia Lund?"))
    assert "no case on file for Pia Lund" in unknown.reply
    assert chat.db.get_case(TENANT, "pia lund") is None
    advice = chat.reply(TENANT, fresh("what should I ask Dr. Kwan about her precautions?"), cid)
    assert "On file for" not in advice.reply
    framework = chat.reply(TENANT, fresh("what are the default limits for blood pressure?"), cid)
    assert "On file for" not in framework.reply and framework.citations
    general = chat.reply(TENANT, fresh("any precautions for clients with diabetes?"), cid)
    assert "On file for" not in general.reply
    chat.reply(TENANT, fresh("Ines Lund was referred by Dr. Omar Kwan for low back pain"))
    both = chat.reply(TENANT, fresh("is there a record of Ines?"))
    assert "more than one client called Ines" in both.reply


def test_a_clearance_request_carries_the_reason_the_practitioner_gave(chat: ChatService) -> None:
    intake = chat.reply(
        TENANT, fresh("Ines Roy was referred by Dr. Omar Kwan, orthopedic surgery, for a left "
                      "total hip replacement")
    )
    letter = chat.reply(
        TENANT,
        fresh("clearance request letter for Ines Roy because she wants to join the aqua class"),
        intake.conversation_id,
    )
    assert letter.draft is not None
    assert "**Reason for this request:** She wants to join the aqua class." in letter.draft.markdown


def test_a_pasted_referral_letter_becomes_the_clients_case(chat: ChatService) -> None:
    from tests.assistant.chat.test_referral_letters import ORTHO

    pasted = chat.reply(TENANT, fresh("Here is the referral for a new client:\n\n" + ORTHO))
    assert pasted.category == "in_scope", pasted.reply
    case = chat.db.get_case(TENANT, "edith varga")
    assert case is not None and case.referral is not None
    assert case.referral.physician == "Dr. Tomas Lindqvist" and case.icd10 == "Z96.641"
    assert case.precautions[1] == "Avoid crossing the legs"
    assert case.limits is not None and case.limits.hr_max == 115
    assert case.sessions == []  # the surgery date and the limits are no session
    assert "Dr. Tomas Lindqvist" in pasted.reply and "Edith Varga" in pasted.reply
    # found in review: a letter whose client is not read is never merged into the current one
    nameless = ORTHO.replace("Re: Mrs. Edith Varga, DOB 02/03/1950", "Dear colleague again,")
    nameless = nameless.replace("Right THA", "Left THA")
    kept = chat.reply(TENANT, fresh(nameless), pasted.conversation_id)
    assert "could not find the client's name" in kept.reply
    again = chat.db.get_case(TENANT, "edith varga")
    assert again is not None and again.diagnosis == case.diagnosis
