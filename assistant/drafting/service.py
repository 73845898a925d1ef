"""draft(kind, case, options) -> Draft: facts, template, safety and faithfulness checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.drafting import catalog
from assistant.drafting.discharge import discharge_warnings
from assistant.drafting.facts import Facts, SessionView, build_facts, field_label
from assistant.drafting.faithfulness import unsupported
from assistant.drafting.numbers import long_date
from assistant.drafting.options import KINDS, LETTER_TYPES, Draft, DraftError, DraftOptions
from assistant.drafting.precautions import conflicts
from assistant.drafting.render import render
from assistant.models import ClientCase, validation_messages
from assistant.paths import KNOWLEDGE_DIR
from guardrails.output import check_output

ONE_PAGE = {"progress-summary", "discharge-summary", "referral-letter"}


SESSION_REPORTS = frozenset({"progress-summary", "discharge-summary"})
"""Documents that report every session (a session log reports one)."""


def _template(kind: str, options: DraftOptions) -> str:
    if kind == "referral-letter":
        return f"letter-{options.letter_type}.md.j2"
    return f"{kind}.md.j2"


def _pick_session(facts: Facts, options: DraftOptions) -> SessionView | None:
    """The session a log is for: the one asked (number or date), else the latest."""
    if not facts.sessions:
        return None
    wanted = options.session
    if wanted is None:
        return facts.sessions[-1]
    for view in reversed(facts.sessions):  # the day's last session when a date is asked
        if (isinstance(wanted, int) and view.index + 1 == wanted) or (
            isinstance(wanted, dt.date) and view.session.date == wanted
        ):
            return view
    on_file = ", ".join(f"{v.index + 1} ({v.session.date.isoformat()})" for v in facts.sessions)
    text = catalog.messages()["errors"]["session_not_found"]
    raise DraftError([text.format(wanted=wanted, on_file=on_file)])


def _title(kind: str, options: DraftOptions, facts: Facts, session: SessionView | None) -> str:
    titles = catalog.messages()["titles"]
    pattern = titles[kind][options.letter_type] if kind == "referral-letter" else titles[kind]
    return str(pattern).format(
        client=facts.needs.value("client.name") or facts.needs.placeholder("client.name"),
        physician=facts.needs.value(facts.recipient) or facts.needs.placeholder(facts.recipient),
        date=session.date if session else facts.doc_date,
    )


def _check_request(kind: str, options: DraftOptions) -> None:
    errors = catalog.messages()["errors"]
    if kind not in KINDS:
        raise DraftError([errors["unknown_kind"].format(kind=kind, choices=", ".join(KINDS))])
    if options.to_specialty and catalog.find_specialty(options.to_specialty) is None:
        choices = ", ".join(s.id for s in catalog.specialties())
        raise DraftError(
            [errors["unknown_specialty"].format(value=options.to_specialty, choices=choices)]
        )


def parse_options(data: dict[str, Any] | DraftOptions | None) -> DraftOptions:
    """Options from a request body; unknown keys and values raise DraftError."""
    if isinstance(data, DraftOptions):
        return data
    try:
        return DraftOptions.model_validate(data or {})
    except ValidationError as exc:
        raise DraftError([f"options.{m}" for m in validation_messages(exc)]) from exc


def draft(
    kind: str,
    case: ClientCase,
    options: DraftOptions | None = None,
    knowledge_dir: Path = KNOWLEDGE_DIR,
) -> Draft:
    """Draft one document from a validated case (measures and thresholds from knowledge_dir)."""
    options = options or DraftOptions()
    _check_request(kind, options)
    msgs = catalog.messages()
    doc_date = options.date or dt.date.today()
    facts = build_facts(case, options, doc_date, knowledge_dir)
    if (
        kind == "referral-letter"
        and options.letter_type == "thank-you"
        and facts.recipient != "referral.physician"
    ):
        raise DraftError([msgs["errors"]["thank_you_recipient"]])
    warnings = list(facts.warnings)
    if kind != "session-log" and options.letter_type not in {
        "clearance-request",
        "thank-you",
        "practice-introduction",
    }:
        warnings += facts.measure_warnings
    session = _pick_session(facts, options) if kind == "session-log" else None
    letter_type = options.letter_type if kind == "referral-letter" else None
    needs_client = letter_type != "practice-introduction"

    context: dict[str, Any] = {
        "case": case,
        "f": facts,
        "need": facts.needs,
        "has": facts.needs.has,
        "msgs": msgs,
        "session": session,
        "letter_type": letter_type,
        "kind": kind,
        "spec": facts.specialty,
    }
    letterhead = render("_letterhead.md.j2", context)
    body = render(_template(kind, options), context)
    title = _title(kind, options, facts, session)

    if needs_client and kind == "referral-letter" and case.consent_on_file is not True:
        warnings.append(msgs["warnings"]["no_consent"])
    if letter_type == "introduction" and case.sessions:
        first = case.sessions[0].date
        if (doc_date - first).days > 1:
            warnings.append(
                msgs["warnings"]["introduction_late"].format(
                    first=long_date(first), date=facts.doc_date
                )
            )
    if kind == "discharge-summary":
        warnings += discharge_warnings(facts, options)
    if session is not None or kind in SESSION_REPORTS or letter_type == "progress-update":
        chosen = [session.session] if session is not None else None
        warnings += [
            msgs["warnings"]["precaution"].format(
                date=long_date(c.date), exercise=c.exercise, precaution=c.precaution
            )
            for c in conflicts(case, chosen)
        ]
    if not case.sessions and kind in {"session-log", "progress-summary", "discharge-summary"}:
        warnings.append(msgs["warnings"]["no_sessions"])

    result = Draft(
        kind=kind,
        title=title,
        markdown=f"{letterhead}\n---\n\n{body}",
        missing_fields=list(facts.needs.missing),
        missing_labels=[field_label(path) for path in facts.needs.missing],
        warnings=warnings,
        letterhead=[line.strip() for line in letterhead.splitlines() if line.strip()],
        body=body,
        one_page=kind in ONE_PAGE,
        sources=[case.model_dump_json(), options.model_dump_json(), catalog.template_sources()],
        derived=list(facts.derived.values),
    )
    for figure in unsupported(result):
        result.warnings.append(msgs["warnings"]["faithfulness"].format(figure=figure.raw))
    for issue in check_output(body):
        result.warnings.append(
            msgs["warnings"]["scope"].format(excerpt=issue.excerpt, message=issue.message)
        )
    return result


__all__ = ["LETTER_TYPES", "draft", "parse_options"]
