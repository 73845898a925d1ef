"""ChatService: guard -> intent -> capability -> output check -> stored reply.

One turn: the message is checked by the scope guard; a refusal, clarification or escalation is
answered with the guard's text, audited and stored. An allowed message is routed to a
capability (framework answer, draft, tier gap, profile update, case update, help), the reply is
checked and stored with its citations and draft, and what the chat waits for (missing draft
fields, a profile confirmation) is kept in the conversation's state for the next turn.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.chat.answer import Answerer
from assistant.chat.case_view import asked_fields, asks_on_file, case_view
from assistant.chat.casenotes import CaseFacts, read_case_facts, read_kind
from assistant.chat.cases import merge_facts, missing_required, same_doctor
from assistant.chat.corrections import (
    Correction,
    correct_case,
    read_correction,
    read_new_name,
    renamed,
)
from assistant.chat.generate import ExtractiveGenerator, Generator
from assistant.chat.intents import Intent, IntentRouter, about_the_client
from assistant.chat.known_clients import named_client, with_known_client
from assistant.chat.profile_updates import AllSkills, read_profile_changes, resolve_increments
from assistant.chat.referral_letters import read_referral_letter
from assistant.chat.render import to_html
from assistant.chat.schemas import (
    ChatEvent,
    ChatReply,
    Citation,
    ConversationNotFound,
    DraftCard,
    draft_links,
)
from assistant.chat.tier_text import tier_answer
from assistant.chat.wording import label, replies, say
from assistant.models import CaseInputError, ClientCase, Practitioner, PractitionerProfile
from assistant.storage import ConversationRecord, Database
from guardrails.classifier import last_part
from guardrails.decision import Issue
from guardrails.output import check_output

if TYPE_CHECKING:
    from assistant.services import Services

Clock = Callable[[], dt.datetime]
IN_SCOPE = "in_scope"
_YES = re.compile(
    r"^\s*(yes|yep|yeah|y|sure|ok|okay|correct|confirm(ed)?|save( it)?|please do|do it|"
    r"go ahead|that'?s right)\b[\s!.]*(please)?[\s!.]*$",
    re.I,
)
_IN_CARE = re.compile(
    r"\b(?:in (?:the|an) ambulance|ambulance (?:is here|came|arrived|took|has (?:come|arrived))|"
    r"paramedics?|ems (?:is here|are here|arrived|took)|at the (?:hospital|er|emergency)|"
    r"(?:he|she|they)(?:'s| is| are) (?:stable|with (?:the )?(?:paramedics|ems|doctors?)))\b",
    re.I,
)
"""The client is in care now ("ok he's in the ambulance now")."""
_ASKS_NEXT = re.compile(r"\b(?:what (?:now|next)|now what|what (?:do|should) i do)\b", re.I)
_STILL_ACUTE = re.compile(
    r"\b(?:not breathing|isn'?t breathing|stopped breathing|no pulse|unresponsive|not responding|"
    r"isn'?t responding|collapsed|seizure|bleeding|chest pain|can'?t breathe|turning blue|worse|"
    r"again)\b",
    re.I,
)
_WHAT_NEXT = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|thanks|thank you|thx|done|right|got it|they'?re here|ambulance'?s here"
    r"|(?:the )?paramedics (?:are here|took (?:her|him|them)))\b[\s,.!]*)*"
    r"(?:(?:so )?(?:what (?:now|next|should i do now|do i do now)|now what|and now|next steps?)\b"
    r"[\s?!.]*)?$",
    re.I,
)
"""A short "ok thanks, what now?" after an emergency reply."""
_MOOD = re.compile(
    r"\b(?:hopeless\w*|worthless|can'?t cope|panic attacks?|"
    r"(?:feel|felt|seem|been|say|said|tell|told|look)\w*\b[^.?!\n]{0,30}\b(?:depressed|anxious|"
    r"overwhelmed|tearful)|(?:feel\w*|felt|seem\w*|look\w*) (?:so |very |really |quite )?"
    r"(?:down|low|sad)\b(?!\s+(?:energy|on|back|blood|bp|sugar)))",
    re.I,
)
"""A client's mood described ("she's been feeling hopeless"): answered with the referral line."""
_NO = re.compile(r"^\s*(no|nope|n|cancel|don'?t|do not|never ?mind|discard|forget it)\b", re.I)
_ANYWAY = re.compile(r"\b(anyway|as is|skip( it| that| them)?|with placeholders|leave it)\b", re.I)
_QUESTION_FORM = re.compile(
    r"\?|^\s*(what|how|when|why|which|who|where|should|can|could|do|does|is|are)\b", re.I
)
_OTHER_TOPICS = frozenset({Intent.GREETING, Intent.TIER, Intent.PROFILE_UPDATE})
_NOT_KNOWN = re.compile(
    r"\b(not sure|unsure|don'?t know|do not know|dunno|no idea|no clue|unknown|tbd|tbc|n/a|"
    r"not yet|i'?ll (check|find out|ask|get back|look)|will (check|find out|ask)|check later)\b",
    re.I,
)
"""An answer that says the practitioner does not have the fact yet: never stored as one."""
_DISCHARGE_LIKE = re.compile(
    r"\b(goals?|met|achieved|independent\w*|completed?|finished|mov(ed|ing)|relocat\w*|"
    r"insurance|funding|declined|stopped|quit|plateau\w*|hospitali[sz]\w*|transferr\w*|"
    r"no longer|discharg\w*|graduat\w*)\b",
    re.I,
)
"""Words of a reason for discharge: such an answer fills that field, not the diagnosis."""
_PRACTITIONER = re.compile(
    r"\b(\w+olog(ist|y)|surgeon|physician|doctor|gp|physio\w*|therapist|specialist|nurse|"
    r"practitioner|dr)\b|^\W*$",
    re.I,
)
"""Who someone is, not what the client has: never taken for a diagnosis."""
_PRESENT = re.compile(
    r"\b(now|today|tonight|this (?:morning|week|session)|since|still|currently|right now|just|"
    r"has been|have been|keeps?|started|says|said|reports?|reported|complains?|feels)\b",
    re.I,
)
"""Words of a client's state now or lately: a red flag named with them gets the red-flag line."""
_SYMPTOM = re.compile(
    r"\b(sob|cp|tia|pain\w*|ache\w*|aching|angina|unstable|acute|severe|worse\w*|bleed\w*|swell\w*|swollen|"
    r"numb\w*|tingl\w*|dizz\w*|faint\w*|breath\w*|chest|confus\w*|weak\w*|vomit\w*|fever\w*|"
    r"palpitat\w*|racing|pressure|since yesterday|at rest|symptom\w*|attack|stroke|arrest|coma|"
    r"hypo|hypo\w*glyc\w*|overdos\w*|embol\w*|anaphyla\w*|seiz\w*|collaps\w*|"
    r"unconscious|unresponsive)\b",
    re.I,
)
"""Words of a symptom: an intake line with one is never recorded over the model's escalation."""
_NAME = r"[A-Z][A-Za-z'’-]+(?: [A-Z][A-Za-z'’-]+){0,2}"
_INTAKE_LINE = re.compile(
    r"new\s+(?:client|cleint|patient|pt|referral)[\s:,-]+" + _NAME
    + r"(?:,\s*\d{1,3}\s*(?:yo|y/o|[MF])?)?,\s*(?:diagnosis|dx)\s*(?::|-|is)\s*"
    r"(?P<dx>[A-Za-z][^.!?;:,\n]{1,60}),\s*(?:re?ff?err?ed|ref|sent)\s+(?:by|from)\s+"
    r"(?:dr\.?|doctor)\s+" + _NAME
    + r"(?:,\s*[a-z][a-z /&-]{2,40}|\s*\([a-z][a-z /&-]{2,40}\))?\.?",
    re.I,
)
"""The whole of an intake line: framing, name (and age), labelled diagnosis, referrer."""
_PLAIN_DIAGNOSIS = re.compile(
    # a diagnosis named, nothing said of when, where or how much: "type 2 diabetes", "COPD",
    # "right total knee replacement"; no digit but "type 1/2", no preposition, six words at most
    r"(?!.*\b(?:on|at|in|from|after|before|during|since|ago|with|and|or|of|to|while|when|now|"
    r"today|min|mins|minutes?|hours?|am|pm)\b)(?:type [12] )?[A-Za-z'’-]+(?: [A-Za-z'’-]+){0,5}",
    re.I,
)
_OVERRIDE_BELOW = 0.5
"""The model's emergency score under which a plain case statement may be recorded over it."""
_SCORE = re.compile(r"\bp=([01](?:\.\d+)?)\b")
_TYPE_AND_AGE = re.compile(
    r"\btype [12]\b|^\s*new\s+\w+[\s:,-]+[^,]{1,40},\s*\d{1,3}\s*(?:yo|y/o|[MF])?,", re.I
)
_HEDGE = re.compile(
    r"\b(?:probabl\w*|maybe|may|likely|might|could|possibl\w*|suspect\w*|think|guess|seems?"
    r"|looks?|sounds?|query|consistent|appears?|indicat\w*|presum\w*|provisional|r/o|rule\w* out"
    r"|working|differential|versus|vs)\b|\?",
    re.I,
)
"""Words of a guess: a hedged diagnosis is never the referral's to record."""
_LIVE_STATE = re.compile(
    r"\b(now|right now|just|suddenly|currently|still|at the moment|today|isn'?t|is not|aren'?t|"
    r"can'?t|cannot|won'?t|doesn'?t|not (breathing|responding|answering|moving|making sense)|"
    r"looks?|seems?|feels?|going|gone|went|turn(ed|ing)|getting|collaps\w*|fell|fall(ing|en)|"
    r"faint\w*|passed out|vomit\w*|bleed\w*|sweat\w*|pale|gr[ae]y|blue|clammy|confused|"
    r"dizzy|breath\w*|unconscious|unresponsive|seiz\w*|slurr\w*|me|my|i|i'm|we|here|"
    r"this (?:morning|afternoon|evening)|tonight|during|mid-?session|in (?:the )?(?:gym|studio|"
    r"session|class|pool|waiting room|car park|parking lot|lobby)|on the (?:treadmill|bike|mat)|"
    r"happening|ongoing|in progress|occurring|(?:\d+|a few|few|an?|one|two|ten) "
    r"(?:sec|secs|seconds?|min|mins|minutes?|hours?|hrs?) ago|just now)\b",
    re.I,
)
"""Words of someone's state right now, or of the practitioner speaking: an answer with them is
never taken as a field when the guard's model saw an emergency (a false escalation is the safe
error)."""
_EDIT_RULE = "rule:in_scope.edit_request"
"""The guard's reason for a request to reword or re-lay-out a draft, and nothing else."""
_NO_TEXT = "input:no readable text"
"""The guard's reason for a message with nothing to read once normalised ("?", an emoji)."""
_COMMAND = re.compile(
    r"^\W*(?:please\s+)?(?:draft|write|make|create|prepare|generate|produce|redo|start|send|"
    r"print|export|show|give me|can you|could you|now)\b",
    re.I,
)
"""A request, never the answer to a field question ("draft the session log")."""
_NAME_ONLY = re.compile(r"^(?:Dr\.?\s+)?([A-Z][a-z'’\-]+(?:\s+[A-Z][a-z'’\-]+){0,2})$")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Turn:
    """What one turn produced before it is stored."""

    reply: str
    category: str = IN_SCOPE
    citations: list[Citation] = field(default_factory=list)
    draft: DraftCard | None = None
    tier_gap: dict[str, Any] | None = None
    pending: str | None = None
    state: dict[str, Any] | None = None
    audit_reason: str | None = None


class ChatService:
    """The conversation layer over retrieval, the guard, drafting and the tier gap."""

    def __init__(
        self,
        services: Services,
        db: Database,
        generator: Generator | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.services = services
        self.settings = services.settings
        self.db = db
        self.generator = generator or ExtractiveGenerator()
        self.clock = clock or _utc_now
        self.router = IntentRouter(services.embedder)
        self.answerer = Answerer(services.embedder)

    # ----------------------------------------------------------------- public API
    def warm(self) -> None:
        """Open the database and embed the intent examples before the first message."""
        self.db.revision()
        self.router.nearest("hello")

    def reply(self, tenant: str, message: str, conversation_id: str | None = None) -> ChatReply:
        """Answer one message; raises ValueError or ConversationNotFound for bad requests."""
        text = self._check_message(message)
        conversation = self._conversation(tenant, conversation_id)
        return self._turn(tenant, text, conversation, new=conversation_id is None)

    def stream(
        self, tenant: str, message: str, conversation_id: str | None = None
    ) -> Iterator[ChatEvent]:
        """meta, delta..., done (or error). Bad requests raise before the first event."""
        text = self._check_message(message)
        conversation = self._conversation(tenant, conversation_id)
        return self._events(tenant, text, conversation, conversation_id is None)

    def _events(
        self, tenant: str, text: str, conversation: ConversationRecord, new: bool
    ) -> Iterator[ChatEvent]:
        try:
            result = self._turn(tenant, text, conversation, new=new)
        except Exception as exc:  # reported as an event: the stream has started
            yield ChatEvent(
                "error", {"error": {"code": "internal_error", "message": type(exc).__name__}}
            )
            return
        yield ChatEvent(
            "meta",
            {
                "conversation_id": result.conversation_id,
                "message_id": result.message_id,
                "category": result.category,
            },
        )
        for piece in _pieces(result.reply):
            yield ChatEvent("delta", {"text": piece})
        yield ChatEvent("done", result.model_dump(mode="json"))

    # ----------------------------------------------------------------- request checks
    def _check_message(self, message: str) -> str:
        if not isinstance(message, str):
            raise ValueError("message must be a string")
        if not message.strip():
            raise ValueError("message is empty")
        limit = self.settings.max_chat_chars
        if len(message) > limit:
            raise ValueError(f"message is longer than {limit} characters")
        return message.strip()

    def _conversation(self, tenant: str, conversation_id: str | None) -> ConversationRecord:
        if conversation_id is None:
            return self.db.new_conversation(tenant)
        found = self.db.get_conversation(tenant, conversation_id, last=12)
        if found is None:
            raise ConversationNotFound(conversation_id)
        return found

    # ----------------------------------------------------------------- one turn
    def _turn(
        self, tenant: str, text: str, conversation: ConversationRecord, *, new: bool
    ) -> ChatReply:
        history = [m.content for m in conversation.messages if m.role == "user"]
        state = dict(conversation.state)
        decision = self.services.guard.check_input(text, history)
        today = self.clock().date()
        said = text  # as typed: what the guard judged and the conversation keeps
        text = with_known_client(text, self.db.list_cases(tenant))  # "for tom reyes"
        facts = read_referral_letter(text) or read_case_facts(text, today)
        changes = read_profile_changes(text)

        turn: Turn
        after_emergency = bool(state.pop("after_emergency", False))  # only the next turn
        if after_emergency and _after_steps_asked(text, decision.allowed, decision.category.value):
            turn = Turn(reply=say("after_emergency"), state=state)
            if not decision.allowed:  # "ok he's in the ambulance now, what now?"
                turn.audit_reason = f"after-emergency steps despite guard: {decision.reason}"
        elif decision.reason.startswith(_NO_TEXT) and decision.category.value == "off_topic":
            turn = Turn(reply=say("no_words", help=say("help")))  # "?", "...", an emoji
        elif decision.allowed and decision.reason.startswith(_EDIT_RULE):
            turn = _edit_reply(state)
        elif decision.allowed or self._allowed_anyway(
            decision.category.value, decision.reason, text, facts, changes, state
        ):
            turn = self._capability(tenant, text, facts, changes, state, conversation.id)
            if not decision.allowed and turn.audit_reason is None:
                turn.audit_reason = (
                    f"chat action despite guard {decision.category.value}: {decision.reason}"
                )
        else:
            client = self._resolve_client(tenant, facts.client) if facts.client else None
            emergency = decision.category.value == "emergency"
            after: dict[str, Any] = {"client": client} if client else {}  # "she" next turn
            if emergency:
                after["after_emergency"] = True  # "ok, what now?" gets the follow-up steps
            turn = Turn(
                reply=self._refusal(tenant, decision, said, facts, state),
                category=decision.category.value,
                audit_reason=decision.reason,
                state={**state, **after} if after else None,
            )

        if after_emergency and turn.state is None:
            turn.state = state  # the follow-up is offered once
        assistant = self.db.record_turn(
            tenant,
            conversation.id,
            said,
            turn.reply,
            new=new,
            category=turn.category,
            citations=[c.model_dump() for c in turn.citations],
            draft_id=turn.draft.id if turn.draft else None,
            state=turn.state,
            audit_reason=turn.audit_reason,
        )
        return ChatReply(
            conversation_id=conversation.id,
            message_id=assistant.id,
            reply=turn.reply,
            html=to_html(turn.reply),
            category=turn.category,
            citations=turn.citations,
            draft=turn.draft,
            tier_gap=turn.tier_gap,
            pending=turn.pending,
        )

    def _allowed_anyway(
        self,
        category: str,
        reason: str,
        text: str,
        facts: CaseFacts,
        changes: dict[str, Any],
        state: dict[str, Any],
    ) -> bool:
        """A message the guard was unsure of that is plainly a chat action, never a refusal.

        `clarify` and `off_topic` are overridden for a greeting or help request, the answer to
        a question the chat asked (missing draft fields, a yes/no), or - for `clarify` - a
        message the deterministic parsers read as a document request, case facts for a named
        client, or a profile update. A `clinical_advice` verdict of the classifier (never of a
        rule) is overridden only for a plain answer to the chat's own question about the
        referral ("right total knee replacement" when asked for the diagnosis on the referral)
        and for a statement that only records a named client's referral or session facts
        ("Maria's physician is Dr. Alan Patel, orthopedic surgery"): nothing clinical is
        answered, and the output check must find nothing in the message. The classifier's
        `emergency` (never a rule's: vitals, signs, crisis words) is overridden only for such a
        plain answer ("myocardial infarction" as the diagnosis on the referral), or for a
        statement that only records a named client's referral (no session, no measure), that
        says nothing of anyone's state right now.
        """
        renaming = category in ("clarify", "off_topic")
        if renaming and reason.startswith("classifier:") and read_new_name(text):
            return bool(facts.client or state.get("client"))
        if category == "emergency" and reason.startswith("classifier:"):
            if _LIVE_STATE.search(text):
                return False
            if _SYMPTOM.search(text):
                return False  # "unstable angina, chest pain at rest": never recorded over it
            if self._field_answer(text, facts, state.get("draft")):
                return True
            referral_only = not (facts.has_session or facts.assessments)
            return (
                referral_only
                and _model_score(reason) < _OVERRIDE_BELOW
                and not _free_text(facts)
                and _plain_statement(text, facts)
                and _case_statement(text, facts)
            )
        if category == "clinical_advice" and reason.startswith("classifier:"):
            if self._field_answer(text, facts, state.get("draft")):
                return True
            return (
                not _LIVE_STATE.search(text)
                and not _SYMPTOM.search(text)
                and not _free_text(facts)
                and _case_statement(text, facts)
            )
        if category not in ("clarify", "off_topic"):
            return False
        if self.router.route(text, CaseFacts(), {}).intent is Intent.GREETING and len(text) < 60:
            return True
        if state.get("profile") and (_YES.match(text) or _NO.match(text)):
            return True
        pending = state.get("draft")
        if pending and (
            facts.has_case_facts
            or facts.client
            or self._free_text_answer(text, pending)
            or _not_known_yet(text)
        ):
            return True
        known_client = facts.client or state.get("client")
        if category == "clarify" and known_client and read_correction(text):
            return True
        if category == "clarify":
            return bool(
                (facts.kind and facts.client) or (facts.client and facts.has_case_facts) or changes
            )
        return False

    def _field_answer(self, text: str, facts: CaseFacts, pending: dict[str, Any] | None) -> bool:
        """The message only answers the referral fields the chat asked for (no question, no
        statement the output check objects to, nothing left unexplained)."""
        asked = {
            "referral.physician", "diagnosis", "referral.specialty", "options.discharge_reason"
        }
        missing = set((pending or {}).get("missing", []))
        if not missing & asked or len(text) > 200 or _QUESTION_FORM.search(text):
            return False
        if _discharge_reason_answer(text, facts, pending or {}):
            return not check_output(text)
        if check_output(text) or facts.has_session or facts.assessments or facts.goals:
            return False
        if facts.physician or facts.specialty or facts.icd10 or facts.diagnosis:
            return "diagnosis" in missing or not facts.leftover
        return bool(self._free_text_answer(text, pending or {}))

    # ----------------------------------------------------------------- refusals
    def _refusal(
        self,
        tenant: str,
        decision: Any,
        text: str,
        facts: CaseFacts,
        state: dict[str, Any],
    ) -> str:
        """The guard's message; it names the client's physician when the case has one, and a
        clinical question that names one of METI's red flags says so."""
        message: str = decision.message
        if decision.category.value not in ("clinical_advice", "emergency"):
            return message
        physician = self._case_physician(tenant, facts, state)
        if physician:
            message = self._naming(physician, decision, text, facts, state)
        if decision.category.value == "clinical_advice":
            line = _red_flag_line(text, self.settings.knowledge_dir)
            if line:
                message = f"{message}\n\n{line}"
        return message

    def _naming(
        self, physician: str, decision: Any, text: str, facts: CaseFacts, state: dict[str, Any]
    ) -> str:
        """The guard's message naming the client's physician (unless the text names one)."""
        from guardrails.policy import physician_named

        message: str = decision.message
        if physician_named(text) is not None:
            return message
        policy = self.services.guard.policy
        try:
            rendered: str = policy.message(decision.category, text, decision.topic, [physician])
        except Exception:  # an older policy signature: add a sentence instead
            rendered = message
        if physician in rendered:
            return rendered
        client = state.get("client") or facts.client or ""
        return f"{message}\n\n{say('physician_on_file', client=client, physician=physician)}"

    def _case_physician(self, tenant: str, facts: CaseFacts, state: dict[str, Any]) -> str | None:
        name = self._resolve_client(tenant, facts.client) if facts.client else None
        name = name or state.get("client")
        if not name:
            return None
        case = self.db.get_case(tenant, name)
        doctor = case.referral.physician if case and case.referral else None
        if doctor and not doctor.lower().startswith(("dr", "doctor")):
            doctor = f"Dr. {doctor}"
        return doctor

    # ----------------------------------------------------------------- capabilities
    def _capability(
        self,
        tenant: str,
        text: str,
        facts: CaseFacts,
        changes: dict[str, Any],
        state: dict[str, Any],
        conversation_id: str,
    ) -> Turn:
        if state.get("profile"):
            if _YES.match(text):
                return self._save_profile(tenant, state["profile"], state)
            if _NO.match(text):
                return Turn(reply=say("profile_discarded"), state=_without(state, "profile"))
            state = _without(state, "profile")
        spelled = read_new_name(text)
        if spelled is not None:
            return self._rename(tenant, facts, state, spelled)
        fix = read_correction(text) if not facts.kind else None  # a new log is no correction
        if fix is not None:
            return self._correct(tenant, facts, state, fix)
        if facts.from_letter and facts.has_case_facts:  # a pasted referral letter
            if not facts.client:  # never merged into the conversation's client
                return Turn(reply=say("letter_without_client"), state=_without(state, "client"))
            return self._case_update(tenant, text, facts, state, conversation_id)
        if asks_on_file(text) and not (facts.kind or facts.has_case_facts):
            viewed = self._on_file(tenant, text, facts, state)
            if viewed is not None:
                return viewed
        routed = self.router.route(text, facts, changes, state.get("client"))
        pending = state.get("draft")
        if pending and routed.intent not in _OTHER_TOPICS:
            if _NO.match(text) and len(text) < 40:
                return Turn(reply=say("draft_cancelled"), state=_without(state, "draft"))
            answered = self._answers_pending(text, facts, pending)
            if answered or _ANYWAY.search(text):
                return self._draft(
                    tenant, text, facts, state, conversation_id, pending, anyway=not answered
                )
            if _not_known_yet(text):
                return Turn(reply=say("field_later"), pending=",".join(pending.get("missing", [])))
        match routed.intent:
            case Intent.GREETING:
                key = routed.reason.removeprefix("rule:")
                if key in ("thanks", "goodbye"):
                    return Turn(reply=say(key))
                return Turn(reply=say("greeting", help=say("help")))
            case Intent.TIER if changes:  # "i'm 14 months in, 58 assessments: what's left?"
                return self._profile_update(tenant, changes, state)
            case Intent.TIER:
                return self._tier(tenant, state)
            case Intent.PROFILE_UPDATE:
                return self._profile_update(tenant, changes, state)
            case Intent.DRAFT:
                return self._draft(tenant, text, facts, state, conversation_id, None)
            case Intent.CASE_UPDATE:
                return self._case_update(tenant, text, facts, state, conversation_id)
            case _:
                return self._answer(tenant, text)

    def _on_file(
        self, tenant: str, text: str, facts: CaseFacts, state: dict[str, Any]
    ) -> Turn | None:
        """What is recorded for the client the message names (or the conversation's client);
        None when it names none."""
        name = facts.client or named_client(text, self.db.list_cases(tenant))
        if name is None and _PRONOUN.search(text) and about_the_client(text):
            name = state.get("client")
        if name is None:
            return None
        case = self.db.get_case(tenant, name)
        if case is None:  # "Ann" for Ann Wu; two matches: ask which
            matches = self.db.find_cases(tenant, name)
            if len(matches) > 1:
                return Turn(reply=say("which_of", name=name, names=", ".join(matches)), state=state)
            case = self.db.get_case(tenant, matches[0]) if matches else None
        client = case.client.name if case and case.client else name
        reply = case_view(client, case, asked_fields(text))
        return Turn(reply=reply, state={**state, "client": client} if case else state)

    # framework questions ------------------------------------------------------------
    def _answer(self, tenant: str, text: str) -> Turn:
        query = search_query(text, self.services.settings.max_query_chars)
        passages = self.services.search(query, 6, tenant=tenant)
        answer = self.answerer.compose(text, passages, reject=_unsafe_sentence)
        if answer is None:
            return Turn(reply=self._dont_know(text))
        body = self.generator.generate(text, answer)
        sources = "\n".join(
            "- "
            + say("citation", n=c.n, title=c.title, section=c.section or c.title, source=c.source)
            for c in answer.citations
        )
        reply = f"{body}\n\n{say('sources_heading')}\n{sources}"
        if _MOOD.search(text):  # "she's been feeling hopeless": the referral and the crisis line
            reply = f"{say('mood_note')}\n\n{reply}"
        return Turn(reply=reply, citations=answer.citations)

    def _dont_know(self, text: str) -> str:
        suggestions = [str(q) for q in replies()["suggested_questions"]]
        ranked = self.answerer.rank_texts(text, suggestions)[:3]
        bullets = "\n".join(f"- {q}" for q in ranked)
        return "\n\n".join(
            [say("dont_know"), f"{say('dont_know_suggest')}\n{bullets}", say("dont_know_tail")]
        )

    # tiers and profile ---------------------------------------------------------------
    def _tier_files(self) -> tuple[Any, Any]:
        from assistant.skills import skills_file

        s = self.settings
        return s.knowledge_dir / "tiers.yaml", skills_file(s.data_dir, s.knowledge_dir)

    def _tier(self, tenant: str, state: dict[str, Any]) -> Turn:
        from assistant.tiers import tier_gap
        from assistant.tiers.catalog import tiers

        profile = self.db.get_profile(tenant)
        tiers_path, skills_path = self._tier_files()
        gap = tier_gap(profile or PractitionerProfile(), tiers_path, skills_path)
        names = {t.id: t.name for t in tiers(tiers_path)}
        return Turn(
            reply=tier_answer(gap, names, profile is not None),
            tier_gap=gap.model_dump(mode="json"),
        )

    def _profile_update(self, tenant: str, changes: dict[str, Any], state: dict[str, Any]) -> Turn:
        current = self.db.get_profile(tenant) or PractitionerProfile()
        merged = current.model_dump(mode="json")
        changes = resolve_increments(changes, current)
        every = changes.get("skills_completed")
        if isinstance(every, AllSkills):
            from assistant.tiers.catalog import skills

            _, skills_path = self._tier_files()
            ids = [skill.id for skill in skills(skills_path) if skill.tier == every.tier]
            changes = {**changes, "skills_completed": ids}
        if "skills_completed" in changes:
            changes = {
                **changes,
                "skills_completed": list(
                    dict.fromkeys([*current.skills_completed, *changes["skills_completed"]])
                ),
            }
        merged.update(changes)
        try:
            PractitionerProfile.model_validate(merged)
        except ValueError as exc:
            return Turn(reply=say("case_invalid", errors=str(exc).splitlines()[0]))
        shown = []
        for key, new in changes.items():
            old = getattr(current, key)
            if old == new:
                continue
            shown.append(
                say(
                    "profile_change",
                    label=label("profile_labels", key),
                    old=_show(old),
                    new=_show(new),
                )
            )
        if not shown:
            return Turn(reply=say("profile_nothing"))
        new_state = {**state, "profile": changes}
        return Turn(
            reply=say("profile_confirm", changes="; ".join(shown)),
            state=new_state,
            pending="confirm_profile",
        )

    def _save_profile(self, tenant: str, changes: dict[str, Any], state: dict[str, Any]) -> Turn:
        current = self.db.get_profile(tenant) or PractitionerProfile()
        profile = PractitionerProfile.model_validate({**current.model_dump(mode="json"), **changes})
        self.db.save_profile(tenant, profile)
        tier = self._tier(tenant, state)
        tier.reply = f"{say('profile_saved')}\n\n{tier.reply}"
        tier.state = _without(state, "profile")
        return tier

    # client cases and drafts -----------------------------------------------------------
    def _resolve_client(self, tenant: str, name: str | None) -> str | None:
        """The stored client a name refers to ("Maria" -> "Maria Gomez" when unique)."""
        if not name:
            return None
        exact = self.db.get_case(tenant, name)
        if exact is not None and exact.client is not None:
            return exact.client.name
        found = self.db.find_cases(tenant, name)
        return found[0] if len(found) == 1 else None

    def _client_name(self, tenant: str, facts: CaseFacts, state: dict[str, Any]) -> str | None:
        if facts.client:
            return self._resolve_client(tenant, facts.client) or facts.client
        return state.get("client")

    def _free_text_answer(self, text: str, pending: dict[str, Any]) -> dict[str, str]:
        """A bare answer to the one text question asked ("right total knee replacement")."""
        missing = pending.get("missing", [])
        value = " ".join(text.strip().rstrip(".").split())
        if not value or _YES.match(value) or _NO.match(value) or _QUESTION_FORM.search(value):
            return {}
        if _ANYWAY.search(value):  # "draft it anyway" is not the diagnosis
            return {}
        if _COMMAND.match(value) or (read_kind(value)[0] and len(value.split()) <= 4):
            return {}  # "draft the session log" again, or "the progress summary"
        if read_profile_changes(value):
            return {}
        if missing == ["referral.physician"] and _NAME_ONLY.match(value):
            name = _NAME_ONLY.match(value)
            assert name is not None
            return {"physician": f"Dr. {name[1]}"}
        if _NOT_KNOWN.search(value) or not re.search(r"[^\W\d_]{3}", value):
            return {}
        discharge = "options.discharge_reason" in missing and len(value) <= 500
        if discharge and (_DISCHARGE_LIKE.search(value) or "diagnosis" not in missing):
            return {"discharge_reason": value}
        if "diagnosis" in missing and len(value) <= 200 and not _PRACTITIONER.search(value):
            return {"diagnosis": value}
        return {}

    def _answers_pending(self, text: str, facts: CaseFacts, pending: dict[str, Any]) -> bool:
        if _discharge_reason_answer(text, facts, pending):
            facts.discharge_reason = " ".join(text.split()).rstrip(".")
            facts.goals = []  # "goals met" is the reason, not a new goal called "met"
            return True
        if (
            facts.client
            and pending.get("client")
            and facts.client.split()[0].lower() not in (pending["client"].lower())
        ):
            return False
        if facts.has_case_facts:
            loose = facts.has_session or facts.assessments or facts.limits
            if "diagnosis" in pending.get("missing", []) and not facts.diagnosis and not loose:
                # what is left of a session or limits message is debris, never a diagnosis
                facts.diagnosis = _diagnosis_in(facts.leftover)
            return True
        extra = self._free_text_answer(text, pending)
        for key, value in extra.items():
            setattr(facts, key, value)
        return bool(extra)

    def _case_update(
        self,
        tenant: str,
        text: str,
        facts: CaseFacts,
        state: dict[str, Any],
        conversation_id: str,
    ) -> Turn:
        if facts.has_session:
            return self._draft(
                tenant, text, facts, state, conversation_id, None, kind="session-log"
            )
        name = self._client_name(tenant, facts, state)
        if not name:
            return Turn(reply=say("which_client"))
        stored = self.db.get_case(tenant, name)
        kept = _keep_referring_physician(stored, facts)
        try:
            case, changed = merge_facts(stored, name, facts)
        except CaseInputError as exc:
            return Turn(reply=say("case_invalid", errors="; ".join(exc.errors)))
        assert case.client is not None
        client = case.client.name
        note = say("physician_kept", client=client, **kept) if kept else ""
        if not changed:
            reply = note or _nothing_recorded(client, stored, facts)
            if facts.unread:
                reply += "\n\n" + say("not_recorded", items=", ".join(facts.unread))
            return Turn(reply=reply, state={**state, "client": client})
        self.db.save_case(tenant, case)
        reply = say("case_updated", client=client, changes=_changes_text(changed))
        reply = f"{note}\n\n{reply}" if note else reply
        if facts.unread:
            reply += "\n\n" + say("not_recorded", items=", ".join(facts.unread))
        pending = state.get("draft") or {}
        if pending and pending.get("client") == client:
            return self._draft(tenant, text, CaseFacts(), state, conversation_id, pending)
        reply += " " + say("case_offer", client=client)
        return Turn(reply=reply, state={**state, "client": client})

    def _signed(self, tenant: str, case: ClientCase) -> ClientCase:
        """The case signed by the practitioner whose profile names them (when it has no
        practitioner of its own)."""
        if case.practitioner is not None:
            return case
        profile = self.db.get_profile(tenant)
        if profile is None or not profile.name:
            return case
        return case.model_copy(update={"practitioner": Practitioner(name=profile.name)})

    def _rename(
        self, tenant: str, facts: CaseFacts, state: dict[str, Any], spelled: str
    ) -> Turn:
        """Correct the spelling of a client's name: the case moves to the new name."""
        candidates = [self._resolve_client(tenant, facts.client), state.get("client")]
        old = next((n for n in candidates if n and self.db.get_case(tenant, n)), None)
        stored = self.db.get_case(tenant, old) if old else None
        if old is None or stored is None or stored.client is None:
            return Turn(reply=say("which_client"))
        case = renamed(stored, spelled)
        assert case.client is not None
        new = case.client.name
        other = self.db.get_case(tenant, new)
        if other is not None and new.lower() != old.lower():
            return Turn(reply=say("rename_taken", old=old, new=new), state=state)
        self.db.rename_case(tenant, old, case)
        new_state = {**state, "client": new}
        if (state.get("draft") or {}).get("client") == old:
            new_state["draft"] = {**state["draft"], "client": new}
        return Turn(reply=say("renamed", old=old, new=new), state=new_state)

    def _correct(
        self, tenant: str, facts: CaseFacts, state: dict[str, Any], fix: Correction
    ) -> Turn:
        """Change the sets and reps of one logged exercise; never add a row or a diagnosis."""
        name = self._client_name(tenant, facts, state) or (state.get("draft") or {}).get("client")
        stored = self.db.get_case(tenant, name) if name else None
        if stored is None or stored.client is None:
            return Turn(reply=say("which_client"))
        client = stored.client.name
        done = correct_case(stored, fix, facts.session.get("date"))
        if done is None:
            return Turn(reply=say("correction_unclear", client=client), state=state)
        case, exercise, day = done
        self.db.save_case(tenant, case)
        reply = say(
            "exercise_corrected", client=client, exercise=exercise["name"], date=day,
            sets=exercise["sets"], reps=exercise["reps"],
            load=f" with {fix.load}" if fix.load else "",
        )  # fmt: skip
        return Turn(reply=f"{reply} {say('case_offer', client=client)}", state=state)

    def _draft(
        self,
        tenant: str,
        text: str,
        facts: CaseFacts,
        state: dict[str, Any],
        conversation_id: str,
        pending: dict[str, Any] | None,
        *,
        kind: str | None = None,
        anyway: bool = False,
    ) -> Turn:
        from assistant.drafting import DraftError, draft, parse_options

        pending = pending or {}
        kind = kind or facts.kind or pending.get("kind") or "session-log"
        letter_type = facts.letter_type or pending.get("letter_type")
        options: dict[str, Any] = dict(pending.get("options", {}))
        if facts.discharge_reason:
            options["discharge_reason"] = facts.discharge_reason
        if facts.request_reason:
            options["reason"] = facts.request_reason
        name = self._client_name(tenant, facts, state) or pending.get("client")
        if not name:
            new_state = {
                **state,
                "draft": {"kind": kind, "letter_type": letter_type, "options": options,
                          "client": None, "missing": []},
            }  # fmt: skip
            return Turn(reply=say("which_client"), state=new_state, pending="client")
        stored = self.db.get_case(tenant, name)
        specialty = facts.addressee_specialty or facts.specialty
        kept = _keep_referring_physician(stored, facts)
        if kind == "referral-letter" and facts.addressee:
            # "a letter to her cardiologist Dr. Amy Wong": the letter goes to them, and the
            # specialty is theirs, not the referral's
            options["to_physician"] = facts.addressee
            if specialty:
                options["to_specialty"] = specialty
            facts.specialty, kept = None, None
        try:
            case, _changed = merge_facts(stored, name, facts)
        except CaseInputError as exc:
            return Turn(reply=say("case_invalid", errors="; ".join(exc.errors)))
        assert case.client is not None
        client = case.client.name
        note = say("physician_kept", client=client, **kept) if kept else ""
        if facts.has_case_facts or stored is None:
            self.db.save_case(tenant, case)
        missing = missing_required(kind, case, options)
        kind_label = label("kind_labels", kind)
        if missing and not anyway:
            questions = "; ".join(label("field_questions", m) for m in missing)
            key = "ask_more_fields" if pending.get("missing") else "ask_fields"
            reply = say(key, kind_label=kind_label, client=client, questions=questions)
            reply = f"{note}\n\n{reply}" if note else reply
            if facts.unread:
                reply += "\n\n" + say("not_recorded", items=", ".join(facts.unread))
            new_state = {
                **state,
                "client": client,
                "draft": {"kind": kind, "letter_type": letter_type, "options": options,
                          "client": client, "missing": missing},
            }  # fmt: skip
            return Turn(
                reply=f"{reply}\n\n{say('skip_hint')}",
                state=new_state,
                pending=",".join(missing),
            )
        named = options.get("to_physician")
        if letter_type == "thank-you" and named:  # the drafting error speaks of CLI options
            on_file = case.referral.physician if case.referral else None
            if on_file and not same_doctor(on_file, named):
                reply = say("thank_you_other", client=client, named=named, on_file=on_file)
                return Turn(reply=reply, state=state)
        case = self._signed(tenant, case)
        today = self.clock().date()
        opts: dict[str, Any] = {"date": today.isoformat(), **options}
        if letter_type and kind == "referral-letter":
            opts["letter_type"] = letter_type
        if kind == "session-log" and facts.session.get("date"):  # also "the log for yesterday"
            opts["session"] = facts.session["date"]
        try:
            result = draft(kind, case, parse_options(opts), self.settings.knowledge_dir)
        except DraftError as exc:
            return Turn(reply=say("draft_failed", errors="; ".join(exc.errors)), state=state)
        stored_draft = self.db.save_draft(tenant, result, case, conversation_id)
        links = draft_links(stored_draft.id)
        card = DraftCard(
            id=stored_draft.id,
            kind=result.kind,
            title=result.title,
            markdown=result.markdown,
            html=to_html(result.markdown),
            missing_fields=result.missing_fields,
            missing_labels=result.missing_labels,
            warnings=result.warnings,
            downloads=links,
        )
        parts = [say("draft_ready", kind_label=kind_label, client=client, **links)]
        if note:
            parts.append(note)
        if facts.unread:
            parts.append(say("not_recorded", items=", ".join(facts.unread)))
        if result.missing_fields:
            fields = result.missing_labels or result.missing_fields
            parts.append(say("draft_placeholders", fields=", ".join(fields)))
        if result.warnings:
            parts.append(
                say("draft_warnings") + "\n" + "\n".join(f"- {w}" for w in result.warnings)
            )
        new_state = _without({**state, "client": client, "last_draft": stored_draft.id}, "draft")
        return Turn(reply="\n\n".join(parts), draft=card, state=new_state)


_PRONOUN = re.compile(r"\b(?:her|his|she|he|him)\b", re.I)
"""What points a lookup at the conversation's client ("who referred her?"); "clients" and "the
client after a TKR" speak of clients in general."""


def _discharge_reason_answer(text: str, facts: CaseFacts, pending: dict[str, Any]) -> bool:
    """A reason for discharge ("goals met", "moving away") sent while the chat asks for it."""
    return (
        "options.discharge_reason" in pending.get("missing", [])
        and not facts.discharge_reason
        and len(text) <= 500
        and bool(_DISCHARGE_LIKE.search(text))
        and not _QUESTION_FORM.search(text)
        and not (facts.has_session or facts.assessments or facts.physician or facts.diagnosis)
    )


def _after_steps_asked(text: str, allowed: bool, category: str) -> bool:
    """Right after an emergency: "ok, what now?", or the client is in care and the practitioner
    asks what next ("ok he's in the ambulance now, what now?", which the guard escalates for
    the ambulance), with no sign that the emergency goes on. A clinical or injection verdict
    is never overridden."""
    if allowed and _WHAT_NEXT.match(text):
        return True
    return (
        (allowed or category in ("emergency", "clarify"))
        and bool(_IN_CARE.search(text) and _ASKS_NEXT.search(text))
        and not _STILL_ACUTE.search(text)
    )


def _nothing_recorded(client: str, stored: ClientCase | None, facts: CaseFacts) -> str:
    """Nothing to record; a doctor the client was sent to or is written to is named as such."""
    if not facts.addressee:
        return say("case_nothing", client=client)
    on_file = stored.referral.physician if stored and stored.referral else None
    referrer = replies()["addressee_referrer"]
    which = referrer["on_file"].format(on_file=on_file) if on_file else referrer["none"]
    return say("addressee_only", client=client, named=facts.addressee, referrer=which)


def _keep_referring_physician(stored: ClientCase | None, facts: CaseFacts) -> dict[str, str] | None:
    """Only a message that says who the physician is ("her physician is", "referred by"), and is
    no document request, replaces the referring physician on file. The same surname keeps the
    fuller name on file; another doctor is dropped from the facts (with the specialty named
    beside it) and returned, so the reply can say so."""
    on_file = stored.referral.physician if stored and stored.referral else None
    if not facts.physician or not on_file or (facts.physician_stated and not facts.kind):
        return None
    named, facts.physician = facts.physician, None
    if same_doctor(on_file, named):
        return None
    facts.addressee = facts.addressee or (named if facts.kind else None)
    facts.specialty = None
    return {"named": named, "on_file": on_file}


def _diagnosis_in(leftover: str) -> str | None:
    """What is left of an answer once the physician and specialty are read ("Dr. Ruth Okafor,
    rheumatology; rheumatoid arthritis"): the parts that name no practitioner and are not a
    "don't know yet"."""
    parts = [
        part.strip(" ()[]-–")
        for part in re.split(r"[;,()]", leftover)
        if re.search(r"[^\W\d_]{3}", part)
        and not _PRACTITIONER.search(part)
        and not _NOT_KNOWN.search(part)
    ]
    return _capital(", ".join(parts)) if parts else None


def _not_known_yet(text: str) -> bool:
    """A short "not sure yet, I'll check" while the chat waits for a draft's fields."""
    return len(text) < 120 and bool(_NOT_KNOWN.search(text)) and not _QUESTION_FORM.search(text)


def _edit_reply(state: dict[str, Any]) -> Turn:
    """Drafts are filled in from templates: say so, and what does change a draft; the
    conversation's state (a draft waiting for fields) is kept."""
    reply = say("edit_request")
    if state.get("last_draft"):
        reply += "\n\n" + say("edit_request_last", **draft_links(state["last_draft"]))
    return Turn(reply=reply)


def _case_statement(text: str, facts: CaseFacts) -> bool:
    """A statement fully read as facts about a named client (nothing else is left)."""
    recorded = (
        facts.physician
        or facts.specialty
        or facts.diagnosis
        or facts.icd10
        or facts.has_session
        or facts.assessments
        or facts.limits
    )
    return bool(
        facts.client
        and recorded
        and len(text) <= 500
        and not _QUESTION_FORM.search(text)
        and not re.search(r"[A-Za-z]", facts.leftover)
        and _only_a_labelled_diagnosis(check_output(text), text)
    )


def _only_a_labelled_diagnosis(issues: Sequence[Issue], text: str) -> bool:
    """No issue, or only "states a diagnosis" in a plain intake line (the referral's word)."""
    if not issues:
        return True
    return all(issue.kind == "diagnosis" for issue in issues) and _intake_line(text)


def _intake_line(text: str) -> bool:
    """One sentence of the intake template and nothing else: "New client Ann Wu, 57,
    diagnosis: type 2 diabetes, referred by Dr. Priya Nair, endocrinology." The diagnosis is
    the referral's (labelled, unhedged), and nothing is said of a symptom or of anyone now."""
    if len(text) > 300:
        return False
    found = _INTAKE_LINE.fullmatch(text.strip())
    return bool(
        found
        and _PLAIN_DIAGNOSIS.fullmatch(found["dx"].strip())
        and not _HEDGE.search(found["dx"])
        and not _SYMPTOM.search(text)
        and not _LIVE_STATE.search(text)
    )


def _red_flag_line(text: str, knowledge_dir: Path) -> str | None:
    """The "stop and refer" line when a clinical question names a red flag as present now."""
    from assistant.drafting.catalog import thresholds
    from assistant.drafting.safety import red_flags_in

    flags = red_flags_in(text, thresholds(knowledge_dir / "thresholds.yaml"))
    if not flags or not _PRESENT.search(text):
        return None  # "her wound healed last year; is HIIT safe?" names no red flag now
    labels = ", ".join(dict.fromkeys(label.lower() for label, _ in flags))
    return say("red_flag_refer", flags=labels)


def _free_text(facts: CaseFacts) -> bool:
    """Whether the message gave free-text fields (goal, precaution, report, plan): such a
    message is never recorded over the model's refusal."""
    session = facts.session or {}
    return bool(
        facts.goals
        or facts.precautions
        or any(session.get(k) for k in ("client_report", "observations", "plan"))
    )


def _model_score(reason: str) -> float:
    """The model's score quoted in the guard's reason ("classifier:emergency p=0.49"); 1.0 when
    none is quoted (then nothing is overridden)."""
    found = _SCORE.search(reason)
    return float(found[1]) if found else 1.0


def _plain_statement(text: str, facts: CaseFacts) -> bool:
    """A referral statement that says nothing of time, place or amount: no digit outside the
    client's age and "type 1/2", and a plain diagnosis if one is given."""
    if re.search(r"\d", _TYPE_AND_AGE.sub("", text)):
        return False
    return facts.diagnosis is None or bool(_PLAIN_DIAGNOSIS.fullmatch(facts.diagnosis.strip()))


@lru_cache(maxsize=8192)
def _unsafe_sentence(sentence: str) -> bool:
    """The output check's verdict on a passage sentence (memoised: a pure function of the
    sentence, and the same corpus sentences are candidates turn after turn)."""
    return bool(check_output(sentence))


def _without(state: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in state.items() if k != key}


def _capital(value: str) -> str:
    return value[:1].upper() + value[1:]


def _show(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return "not set" if value is None else str(value)


def _changes_text(changes: list[tuple[str, str]]) -> str:
    labels = replies()["change_labels"]
    return "; ".join(str(labels.get(key, key)).format(value=value) for key, value in changes)


def _pieces(markdown: str) -> Iterator[str]:
    """The reply in paragraph-sized pieces that join back to the exact text."""
    parts = markdown.split("\n\n")
    for i, part in enumerate(parts):
        yield part + ("\n\n" if i < len(parts) - 1 else "")


def search_query(text: str, limit: int) -> str:
    """What a message searches with: said once (no padding), and when still longer than the
    search allows, its last `limit` characters from a word's start (the question is usually
    last)."""
    return last_part(text, limit)


def build_chat(services: Services, clock: Clock | None = None) -> ChatService:
    """The chat service with the configured generator (assistant/backends.py)."""
    from assistant.backends import build_generator

    return ChatService(services, services.db, build_generator(services.settings), clock)


__all__ = ["ChatService", "build_chat"]
