"""Drafting behaviour: every case into every document, faithful numbers, safety, tailoring."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from assistant.drafting import LETTER_TYPES, Draft, DraftError, DraftOptions, draft, unsupported
from assistant.drafting.catalog import Specialty
from assistant.models import ClientCase, parse_case

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"
CASE_FILES = sorted(CASES.glob("*.json"))
TODAY = "2026-11-23"

DOCUMENTS: list[tuple[str, dict[str, Any]]] = [
    ("session-log", {}),
    ("session-log", {"session": 1}),
    ("progress-summary", {}),
    ("discharge-summary", {"discharge_reason": "Goals met; client continues independently"}),
    *[("referral-letter", {"letter_type": t}) for t in LETTER_TYPES],
]


def raw(name: str) -> dict[str, Any]:
    return json.loads((CASES / f"{name}.json").read_text())


def case_of(name: str, **changes: Any) -> ClientCase:
    data = copy.deepcopy(raw(name))
    data.update(changes)
    return parse_case(data)


def make(kind: str, case: ClientCase, **options: Any) -> Draft:
    return draft(kind, case, DraftOptions(date=TODAY, **options))


def _doc_id(doc: tuple[str, dict[str, Any]]) -> str:
    kind, options = doc
    return "-".join([kind, *(str(v) for k, v in options.items() if k != "discharge_reason")])


@pytest.mark.parametrize("doc", DOCUMENTS, ids=_doc_id)
@pytest.mark.parametrize("case_file", CASE_FILES, ids=lambda p: p.stem)
def test_every_case_drafts_every_document_faithfully(
    case_file: Path, doc: tuple[str, dict[str, Any]]
) -> None:
    kind, options = doc
    result = make(kind, parse_case(json.loads(case_file.read_text())), **options)
    assert result.kind == kind and result.title and result.markdown
    assert unsupported(result) == []
    assert not [w for w in result.warnings if w.startswith("Figure")]
    assert result.missing_fields == []
    assert "[" not in re.sub(r"\[(?:x| )\]", "", result.markdown.replace("](", ""))


@pytest.mark.parametrize("doc", DOCUMENTS, ids=_doc_id)
def test_a_planted_invented_number_fails_the_faithfulness_check(
    doc: tuple[str, dict[str, Any]],
) -> None:
    kind, options = doc
    result = make(kind, case_of("post-tkr"), **options)
    planted = result.model_copy(update={"markdown": result.markdown + "\nGrip 47.3 kg.\n"})
    assert [f.raw for f in unsupported(planted)] == ["47.3"]


@pytest.mark.parametrize("case_file", CASE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("doc", DOCUMENTS, ids=_doc_id)
def test_drafts_stay_in_scope_wording(case_file: Path, doc: tuple[str, dict[str, Any]]) -> None:
    kind, options = doc
    text = make(kind, parse_case(json.loads(case_file.read_text())), **options).markdown.lower()
    text = text.replace("physical therapy", "").replace("physical therapist", "")
    assert not re.search(r"therap|treatment|\bsoap\b|\bassessment:\s*$", text, re.M)
    assert "prescribe " not in text.replace("do not diagnose, prescribe", "")


def test_out_of_scope_wording_in_the_practitioners_own_notes_is_flagged() -> None:
    data = raw("post-tkr")
    data["sessions"][-1]["plan"] = "Continue her exercise therapy and tell her to take 400 mg ibuprofen before sessions"
    result = make("session-log", parse_case(data))
    scope = [w for w in result.warnings if w.startswith("Outside an exercise professional's scope")]
    assert len(scope) >= 2
    assert any("ibuprofen" in w for w in scope) and any("therapy" in w for w in scope)


@pytest.mark.parametrize("letter_type", LETTER_TYPES)
def test_every_letter_carries_the_scope_statement_and_a_signature(letter_type: str) -> None:
    result = make("referral-letter", case_of("hypertension"), letter_type=letter_type)
    assert "*Scope: medical exercise services are delivered within your clearance" in result.markdown
    assert "Sincerely,\n\nJordan Lee, MES" in result.markdown
    assert result.markdown.count("Dear Dr. Okafor,") == 1


@pytest.mark.parametrize(
    ("kind", "options"),
    [("referral-letter", {"letter_type": t}) for t in LETTER_TYPES if t != "practice-introduction"]
    + [("progress-summary", {}), ("session-log", {})],
)
def test_case_without_physician_gets_a_placeholder_never_a_name(
    kind: str, options: dict[str, Any]
) -> None:
    data = raw("post-tkr")
    data["referral"] = {"specialty": "orthopedic surgery", "date": "2026-08-15"}
    result = make(kind, parse_case(data), **options)
    assert "referral.physician" in result.missing_fields
    assert "[referring physician]" in result.markdown
    assert not re.search(r"\bDr\.? [A-Z]", result.markdown)


def test_missing_client_and_practitioner_are_reported_as_json_paths() -> None:
    data = raw("osteoporosis")
    del data["client"], data["practitioner"], data["icd10"]
    result = make("progress-summary", parse_case(data))
    assert {"client.name", "practitioner.name", "practitioner.phone"} <= set(result.missing_fields)
    assert "[client name]" in result.markdown and "[practitioner name]" in result.markdown
    assert "icd10" not in result.missing_fields  # optional where the document does not need it


def test_practice_introduction_needs_no_client() -> None:
    case = parse_case({
        "referral": {"physician": "Dr. Ruth Gallagher", "specialty": "cardiology"},
        "practitioner": raw("post-tkr")["practitioner"],
    })
    result = make("referral-letter", case, letter_type="practice-introduction")
    assert result.missing_fields == []
    assert "Dear Dr. Gallagher," in result.markdown
    assert "heart-rate and blood-pressure response" in result.markdown


def test_discharge_without_reason_shows_a_placeholder() -> None:
    result = make("discharge-summary", case_of("copd"))
    assert result.missing_fields == ["options.discharge_reason"]
    assert "**Reason for discharge:** [reason for discharge]" in result.markdown


# --- safety -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("limits", "vitals", "expected"),
    [
        ({"bp_max": "160/100"}, {"bp_pre": "166/92"}, "blood pressure 166/92 mmHg is above the physician's limit of 160/100"),
        ({"bp_max": "150/90"}, {"bp_post": "148/94"}, "blood pressure 148/94 mmHg is above the physician's limit of 150/90"),
        ({"hr_max": 120}, {"hr_post": 131}, "heart rate 131 bpm is above the physician's limit of 120"),
        (None, {"bp_pre": "168/96"}, "is above the default threshold (no physician limit on file) of 160/100"),
        (None, {"bp_pre": "186/100"}, "blood pressure (resistance training) 186/100 mmHg is above 180/105"),
        (None, {"glucose_pre": 252}, "blood glucose 252 mg/dL is at or above 240 mg/dL"),
        (None, {"glucose_pre": 214}, "blood glucose (high) 214 mg/dL is above the default threshold"),
        (None, {"glucose_post": 78}, "blood glucose (low) 78 mg/dL is below the default threshold"),
        ({"glucose_max": 250}, {"glucose_pre": 230}, None),
        ({"spo2_min": 90}, {"spo2_post": 86}, "oxygen saturation 86 % is below the physician's limit of 90"),
        ({"bp_max": "160/100"}, {"bp_pre": "160/100"}, None),
    ],
)
def test_vitals_beyond_limits_give_a_warning_and_a_change_in_status_suggestion(
    limits: dict[str, Any] | None, vitals: dict[str, Any], expected: str | None
) -> None:
    data = raw("post-tkr")
    data["limits"] = limits
    data["sessions"][-1]["vitals"] = vitals
    result = make("session-log", parse_case(data))
    found = [w for w in result.warnings if w.startswith("Session 14 Oct 2026")]
    if expected is None:
        assert found == []
        assert "## Safety notes" not in result.markdown
        return
    assert len(found) == 1 and expected in found[0], found
    assert "change-in-status notice" in found[0]
    assert "## Safety notes" in result.markdown
    assert "**beyond limit**" in result.markdown


def test_limit_breaches_in_any_session_reach_the_progress_documents() -> None:
    summary = make("progress-summary", case_of("hypertension"))
    assert "15 Sep 2026: pre-exercise blood pressure 164/98 mmHg" in summary.markdown
    assert "Review by the referring physician" in summary.markdown
    letter = make("referral-letter", case_of("hypertension"), letter_type="progress-update")
    assert "above your limit of 160/100 mmHg" in letter.markdown


@pytest.mark.parametrize(
    ("report", "flag"),
    [
        ("Sharp pain radiating down the left leg", "Radiating pain"),
        ("Knee looked swollen this morning", "Swelling"),
        ("Felt short of breath on the stairs", "Chest pain or shortness of breath"),
        ("Pain at night since the weekend", "Night pain"),
        ("No swelling, no night pain", None),
        ("Denies chest pain", None),
    ],
)
def test_red_flags_in_client_report_are_surfaced(report: str, flag: str | None) -> None:
    data = raw("post-tkr")
    data["sessions"][-1]["client_report"] = report
    result = make("session-log", parse_case(data))
    flagged = [w for w in result.warnings if "possible red flag" in w]
    if flag is None:
        assert flagged == [] and "none identified" in result.markdown
    else:
        assert len(flagged) == 1 and f"({flag})" in flagged[0]
        assert f"**flagged**: {flag}" in result.markdown


def test_red_flag_in_the_example_low_back_pain_case() -> None:
    result = make("progress-summary", case_of("low-back-pain"))
    assert any("Numbness or tingling" in w for w in result.warnings)


# --- tailoring by specialty ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("specialty", "present", "absent"),
    [
        ("cardiology", ["Heart-rate and blood-pressure response", "Heart-rate ceiling in use: 130 bpm", "| RPE |"], ["LEFS", "Current program"]),
        ("orthopedic surgery", ["LEFS, points", "Knee flexion ROM", "Current program"], ["Heart-rate and blood-pressure response", "Blood glucose before"]),
        ("endocrinology", ["Blood glucose before and after sessions", "Glucose limits in use"], ["Heart-rate and blood-pressure response"]),
        ("neurology", ["Timed Up and Go, s"], ["LEFS", "Heart-rate and blood-pressure response"]),
        ("primary care", ["Vital signs (most recent sessions)", "LEFS, points"], ["Heart-rate ceiling"]),
        ("rheumatologist", ["30-second chair stand, reps", "Current program"], ["Vital signs", "LEFS"]),
        ("oncology", ["Vital signs (most recent sessions)", "Current program"], ["LEFS", "RPE |"]),
        ("pulmonology", ["Vital signs (most recent sessions)"], ["Oxygen saturation and", "LEFS"]),
    ],
)
def test_specialty_changes_what_a_letter_reports(
    specialty: str, present: list[str], absent: list[str]
) -> None:
    result = make("referral-letter", case_of("post-tkr"), letter_type="progress-update",
                  to_specialty=specialty)
    for text in present:
        assert text in result.markdown, text
    for text in absent:
        assert text not in result.markdown, text
    assert unsupported(result) == []


@pytest.mark.parametrize(
    ("options", "addressee", "missing"),
    [
        ({}, "Dear Dr. Patel,", False),
        ({"to_specialty": "orthopedics"}, "Dear Dr. Patel,", False),
        ({"to_specialty": "cardiology"}, "Dear [recipient physician],", True),
        ({"to_specialty": "cardiology", "to_physician": "Dr. Maya Stein"}, "Dear Dr. Stein,", False),
        ({"to_physician": "Dr Maya Stein MD"}, "Dear Dr Stein,", False),
    ],
)
def test_a_letter_to_another_specialty_is_never_addressed_to_the_referring_physician(
    options: dict[str, str], addressee: str, missing: bool
) -> None:
    result = make("referral-letter", case_of("post-tkr"), letter_type="progress-update", **options)
    assert addressee in result.markdown
    assert ("options.to_physician" in result.missing_fields) is missing
    assert ("Valley Orthopedics" in result.markdown) is (addressee == "Dear Dr. Patel,")
    assert addressee.split()[-1].rstrip(",") in result.title  # "Patel", "physician]", "Stein"


def test_a_referral_without_a_specialty_is_not_assumed_to_be_the_recipient_s() -> None:
    case = case_of("post-tkr")
    assert case.referral is not None
    case = case.model_copy(update={"referral": case.referral.model_copy(update={"specialty": None})})
    result = make("referral-letter", case, letter_type="progress-update", to_specialty="cardiology")
    assert "Dear [recipient physician]," in result.markdown


def test_the_referrer_named_as_recipient_is_the_referrer_and_others_read_about_the_referrer() -> None:
    same = make("referral-letter", case_of("post-tkr"), letter_type="thank-you",
                to_physician="Dr Patel")
    assert "Dear Dr. Patel," in same.markdown and "Valley Orthopedics" in same.markdown
    other = make("referral-letter", case_of("post-tkr"), letter_type="clearance-request",
                 to_specialty="cardiology", to_physician="Dr. Maya Stein")
    assert "referred back to the referring physician" in other.markdown
    assert "within the referring physician's clearance" in other.markdown
    assert "referred back to you" not in other.markdown
    assert "(your limits)" not in other.markdown and "(physician's limits)" in other.markdown


def test_a_clearance_request_says_how_long_the_client_has_been_training_when_sessions_exist() -> None:
    case = case_of("post-tkr")
    logged = make("referral-letter", case, letter_type="clearance-request")
    assert "since 20 August 2026 (4 sessions so far)" in logged.markdown
    assert "Before the first exercise session" not in logged.markdown
    assert unsupported(logged) == []
    one = make("referral-letter", case_of("post-tkr", sessions=raw("post-tkr")["sessions"][:1]),
               letter_type="clearance-request")
    assert "(1 session so far)" in one.markdown
    new = make("referral-letter", case_of("post-tkr", sessions=[]), letter_type="clearance-request")
    assert "Before the first exercise session" in new.markdown


def test_a_clearance_request_gives_the_reason_it_is_sent_now() -> None:
    asked = make("referral-letter", case_of("post-tkr"), letter_type="clearance-request",
                 reason="She wants to join a water aerobics class.")
    assert "**Reason for this request:** She wants to join a water aerobics class." in asked.markdown
    assert unsupported(asked) == []
    lower = make("referral-letter", case_of("post-tkr"), letter_type="clearance-request",
                 reason="before she starts the aqua class")
    assert "**Reason for this request:** Before she starts the aqua class." in lower.markdown
    plain = make("referral-letter", case_of("post-tkr"), letter_type="clearance-request")
    assert "Reason for this request" not in plain.markdown


def test_an_introduction_to_another_physician_names_the_referrer_and_a_thank_you_is_refused() -> None:
    intro = make("referral-letter", case_of("post-tkr"), letter_type="introduction",
                 to_specialty="cardiology", to_physician="Dr. Maya Stein")
    assert "Thank you for referring" not in intro.markdown
    assert "referred to me for medical exercise by Dr. Alan Patel" in intro.markdown
    assert unsupported(intro) == []
    with pytest.raises(DraftError, match=r"options\.to_physician: a thank-you letter"):
        make("referral-letter", case_of("post-tkr"), letter_type="thank-you",
             to_physician="Dr. Maya Stein")


def test_cardiology_and_orthopedic_letters_differ() -> None:
    cardio = make("referral-letter", case_of("post-tkr"), letter_type="progress-update",
                  to_specialty="cardiology")
    ortho = make("referral-letter", case_of("post-tkr"), letter_type="progress-update",
                 to_specialty="orthopedics")
    assert cardio.markdown != ortho.markdown
    assert "136/84" in cardio.markdown and "136/84" not in ortho.markdown
    assert "+15 points" in ortho.markdown and "+15 points" not in cardio.markdown


@pytest.mark.parametrize(
    ("specialty", "ask"),
    [
        ("cardiology", "A heart-rate ceiling for exercise"),
        ("endocrinology", "Blood-glucose limits for starting and stopping exercise"),
        ("orthopedic surgeon", "Weight-bearing status"),
        ("neurologist", "Fall precautions"),
        ("physiotherapy", "Your discharge status, home program"),
        ("chiropractor", "Spinal precautions"),
        ("pulmonologist", "The lowest oxygen saturation (SpO2)"),
        ("rheumatology", "Joints to protect, or loading to avoid, during a flare"),
        ("oncologist", "Blood-count values below which sessions should pause"),
    ],
)
def test_clearance_request_asks_what_the_specialty_can_answer(specialty: str, ask: str) -> None:
    result = make("referral-letter", case_of("type2-diabetes"), letter_type="clearance-request",
                  to_specialty=specialty)
    assert ask in result.markdown
    assert "The diagnosis and ICD-10 code (please confirm E11.9)" in result.markdown


def test_a_pulmonology_letter_reports_oxygen_saturation_when_sessions_recorded_it() -> None:
    result = make("referral-letter", case_of("copd"), letter_type="progress-update",
                  to_specialty="respirologist")
    table = result.markdown.split("**Oxygen saturation and exertion (most recent sessions)**")[1]
    assert "| Session | SpO2 before (%) | SpO2 after (%) | RPE |" in table
    assert unsupported(result) == []


def test_a_profile_naming_an_unknown_report_block_is_rejected() -> None:
    with pytest.raises(ValidationError, match="report"):
        Specialty.model_validate({"id": "x", "label": "X", "report": ["vitals_sumary"]})


def test_specialty_defaults_to_the_referral_and_unknown_ones_fall_back_with_a_warning() -> None:
    neuro = make("referral-letter", case_of("post-stroke"), letter_type="progress-update")
    assert "Berg Balance Scale, points" in neuro.markdown
    data = raw("post-stroke")
    data["referral"]["specialty"] = "podiatry"
    other = make("referral-letter", parse_case(data), letter_type="progress-update")
    assert any('Specialty "podiatry" has no letter profile' in w for w in other.warnings)
    with pytest.raises(DraftError, match=r"options\.to_specialty: unknown specialty 'podiatry'"):
        make("referral-letter", case_of("post-stroke"), to_specialty="podiatry")


# --- measures, sessions, attendance --------------------------------------------------------------

def test_progress_summary_interprets_measures_against_the_catalog() -> None:
    text = make("progress-summary", case_of("post-stroke")).markdown
    assert "| Gait speed, m/s | 0.54 (6 Jul 2026) | 0.71 (19 Oct 2026) | +0.17 m/s (+31%), improved | yes (≥ 0.1) |" in text
    assert "Fall risk (CDC STEADI): **yes** (≥ 12)" in text
    assert "Greater fall risk: no (< 45)" in text
    assert "3 sessions from 6 July 2026 to 19 October 2026" in text
    assert "| Walk indoors without the cane for 10 metres | short | 30 September 2026 | Met (16 September 2026) |" in text


def test_lower_is_better_measures_improve_when_they_fall() -> None:
    text = make("progress-summary", case_of("low-back-pain")).markdown
    assert "| Oswestry, % | 38 (1 Sep 2026) | 22 (26 Oct 2026) | −16 points, improved | yes (≥ 10) |" in text


def test_unknown_measures_are_listed_without_interpretation_and_warned() -> None:
    result = make("progress-summary", case_of("low-back-pain"))
    assert "| Prone plank hold, s | 35 (1 Sep 2026) | 70 (26 Oct 2026) | +35 s (+100%) | not interpreted | not in catalog |" in result.markdown
    assert any('"Prone plank hold" is not in the outcome-measure catalog' in w for w in result.warnings)


def test_session_log_is_a_form_for_the_chosen_session_not_a_soap_note() -> None:
    latest = make("session-log", case_of("post-tkr"))
    first = make("session-log", case_of("post-tkr"), session=1)
    by_date = make("session-log", case_of("post-tkr"), session="2026-09-02")
    assert "| Session | 4 of 4: 14 October 2026, 60 min |" in latest.markdown
    assert "| Session | 1 of 4: 20 August 2026, 60 min |" in first.markdown
    assert "| Session | 2 of 4: 2 September 2026, 55 min |" in by_date.markdown
    assert "| Step height kept at 15 cm | Right knee control reduced" in by_date.markdown
    for heading in ("## Readiness and red-flag check", "## Exercises", "## Client report",
                    "## Objective observations", "## Modifications", "## Plan for next session"):
        assert heading in latest.markdown
    assert "## Assessment" not in latest.markdown and "Subjective" not in latest.markdown
    with pytest.raises(DraftError, match=r"options\.session: no session 9 in the case \(sessions on file: 1 \(2026-08-20\)"):
        make("session-log", case_of("post-tkr"), session=9)


def test_introduction_letter_warns_when_later_than_24_hours() -> None:
    on_time = draft("referral-letter", case_of("post-tkr"), DraftOptions(date="2026-08-21"))
    late = make("referral-letter", case_of("post-tkr"))
    assert not any("within 24 hours" in w for w in on_time.warnings)
    assert any("within 24 hours of the first visit" in w for w in late.warnings)


def test_letters_warn_when_no_consent_is_on_file() -> None:
    result = make("referral-letter", case_of("copd", consent_on_file=None),
                  letter_type="progress-update")
    assert any("No written permission" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("memo", {}, "kind: unknown document 'memo'"),
        ("referral-letter", {"to_specialty": "astrology"}, "options.to_specialty: unknown specialty"),
    ],
)
def test_bad_requests_raise_draft_errors(kind: str, options: dict[str, Any], message: str) -> None:
    with pytest.raises(DraftError, match=message):
        make(kind, case_of("copd"), **options)


def test_json_shape_is_the_http_contract() -> None:
    payload = make("progress-summary", case_of("copd")).to_json()
    assert set(payload) == {"kind", "title", "markdown", "missing_fields", "warnings"}
    assert payload["title"] == "Progress summary: Walter Haines"


def test_introduction_reports_the_baseline_against_cut_offs() -> None:
    text = make("referral-letter", case_of("parkinsons"), letter_type="introduction").markdown
    assert "- Berg: 44 points (20 Jul 2026); Greater fall risk (< 45)" in text
    assert "- Timed up and go: 12.6 s (20 Jul 2026); Fall risk (CDC STEADI) (≥ 12)" in text
    assert "- 30-second chair stand: 8 reps (20 Jul 2026)\n" in text  # age 70: no 65-69 norm


def test_measures_and_thresholds_come_from_the_knowledge_folder_given(tmp_path: Path) -> None:
    from assistant.paths import KNOWLEDGE_DIR

    (tmp_path / "measures.yaml").write_text("measures: []\n")
    strict = (KNOWLEDGE_DIR / "thresholds.yaml").read_text().replace("systolic: 160", "systolic: 120")
    (tmp_path / "thresholds.yaml").write_text(strict)
    data = raw("post-tkr")
    data.pop("limits", None)
    packaged = draft("progress-summary", parse_case(data), DraftOptions(date=TODAY))
    custom = draft("progress-summary", parse_case(data), DraftOptions(date=TODAY), tmp_path)
    uncatalogued = 'Measure "Timed Up and Go" is not in the outcome-measure catalog'
    assert not any(w.startswith(uncatalogued) for w in packaged.warnings)
    assert any(w.startswith(uncatalogued) for w in custom.warnings)
    over = "above the default threshold (no physician limit on file) of 120/100 mmHg"
    assert not any(over in w for w in packaged.warnings)
    assert len([w for w in custom.warnings if over in w]) == 8


def test_a_session_log_states_nothing_the_practitioner_did_not_report() -> None:
    data = raw("post-tkr")
    for key in ("client_report", "observations", "readiness", "plan", "modifications"):
        data["sessions"][-1].pop(key, None)
    log = make("session-log", parse_case(data)).markdown
    assert "not recorded (no client report or observations)" in log
    assert "ran as planned" not in log and "Continue the current program" not in log
    assert log.split("## Modifications")[1].split("##")[0].strip() == "None recorded."


def test_a_progress_summary_with_safety_events_does_not_also_advise_progressing_load() -> None:
    calm = make("progress-summary", case_of("post-tkr")).markdown
    assert "progress load gradually" in calm
    data = raw("post-tkr")
    data["limits"] = {"bp_max": "120/80"}
    flagged = make("progress-summary", parse_case(data)).markdown
    recommendations = flagged.split("## Recommendations")[1]
    assert "Review by the referring physician" in recommendations
    assert "progress load gradually" not in recommendations
    assert "Hold any progression of exercise until the physician has reviewed" in recommendations


def test_a_reason_too_long_is_counted_in_characters() -> None:
    from assistant.drafting import parse_options

    with pytest.raises(DraftError, match=r"options\.reason: at most 500 characters, not 600"):
        parse_options({"letter_type": "clearance-request", "reason": "x" * 600})
