"""Reading a practitioner's message into ClientCase facts, deterministically."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assistant.chat.casenotes import read_case_facts

TODAY = dt.date(2026, 11, 25)  # a Wednesday

# (message, expected subset of the facts: client, kind, physician, specialty, diagnosis,
#  session fields, assessments)
CASES: list[tuple[str, dict[str, Any]]] = [
    (
        "session log for Maria today: 3x10 sit-to-stand, BP 128/82 before, 136/84 after, RPE 5",
        {
            "client": "Maria", "kind": "session-log",
            "session": {
                "date": "2026-11-25", "rpe": 5.0,
                "vitals": {"bp_pre": "128/82", "bp_post": "136/84"},
                "exercises": [{"name": "Sit-to-stand", "sets": 3, "reps": 10}],
            },
        },
    ),
    (
        "add yesterday's session for Maria Gomez: 2 sets of 12 step-ups with 5 kg, HR 72 before, "
        "110 after, 45 min session",
        {
            "client": "Maria Gomez",
            "session": {
                "date": "2026-11-24", "duration_min": 45,
                "vitals": {"hr_pre": 72, "hr_post": 110},
                "exercises": [{"name": "Step-ups", "sets": 2, "reps": 12, "load": "5 kg"}],
            },
        },
    ),
    (
        "log Monday's session for Walter: treadmill walking 15 min, leg press 3x12 @ 40 kg, "
        "SpO2 95% before, 90% after, 30-second chair stand 11 reps",
        {
            "client": "Walter", "kind": "session-log",
            "session": {
                "date": "2026-11-23",
                "vitals": {"spo2_pre": 95, "spo2_post": 90},
                "exercises": [
                    {"name": "Treadmill walking", "time": "15 min"},
                    {"name": "Leg press", "sets": 3, "reps": 12, "load": "40 kg"},
                ],
            },
            "assessments": [
                {"date": "2026-11-23", "measure": "30-second chair stand", "value": 11.0, "unit": "reps"}
            ],
        },
    ),
    (
        "session log for Maria last Wednesday, HR 72/110, BP 130/80 pre and 140/85 post, "
        "RPE 6/10, she reported stairs easier at home. plan: add a 2 kg vest",
        {
            "client": "Maria",
            "session": {
                "date": "2026-11-18", "rpe": 6.0,
                "vitals": {"bp_pre": "130/80", "bp_post": "140/85", "hr_pre": 72, "hr_post": 110},
                "client_report": "Stairs easier at home", "plan": "Add a 2 kg vest",
            },
        },
    ),
    (
        "Maria Gomez was referred by Dr. Alan Patel for a right total knee replacement, ICD-10 Z96.651",
        {"client": "Maria Gomez", "physician": "Dr. Alan Patel",
         "diagnosis": "right total knee replacement", "icd10": "Z96.651", "session": {}},
    ),
    (
        "Dr. Susan Okafor, cardiology",
        {"client": None, "physician": "Dr. Susan Okafor", "specialty": "cardiology"},
    ),
    ("progress summary for Robert Chen", {"client": "Robert Chen", "kind": "progress-summary"}),
    ("discharge summary for Maria, discharge reason: goals met",
     {"kind": "discharge-summary", "discharge_reason": "goals met"}),
    # typos and shorthand at intake: "pt" is the patient here, never physical therapy
    ("new cleint: Bob Diaz, COPD, reffered by Dr. Lena Kim, pulmonology",
     {"client": "Bob Diaz", "diagnosis": "COPD", "specialty": "pulmonology"}),
    ("New pt: Sue Kim, s/p R TKR 6 wks, ref by Dr. Ray Tan, orthopedics",
     {"client": "Sue Kim", "diagnosis": "s/p R TKR 6 wks", "physician": "Dr. Ray Tan",
      "specialty": "orthopedic surgery"}),
    ("session log Sue Kim tuesday: 3x10 sit-to-stand", {"client": "Sue Kim", "session": {
        "date": "2026-11-24", "exercises": [{"name": "Sit-to-stand", "sets": 3, "reps": 10}]}}),
    ("discharge summary for Paul Reed, reason: goals met, home program: daily walks and clamshells",
     {"kind": "discharge-summary", "discharge_reason": "goals met", "goals": [],
      "home_program": [{"name": "Daily walks"}, {"name": "Clamshells"}]}),
    ("discharge summary for Linda, all goals achieved", {"discharge_reason": "all goals achieved"}),
    # found in review: a negated or non-discharge "reason" is no discharge reason
    ("discharge summary for Linda: none of her goals were met, she moved away",
     {"discharge_reason": None}),
    ("clearance request letter for Maria, reason: starting resistance training",
     {"discharge_reason": None}),
    ("discharge summary for Paul, reason: goals met and home program: walks",
     {"discharge_reason": "goals met", "home_program": [{"name": "Walks"}]}),
    ("her home program is going well", {"home_program": []}),
    # a goal's status is never the goal
    ("discharge summary for Tom Baker, goals not met, he is moving away", {"goals": []}),
    ("progress summary for Tom, goals partially met so far", {"goals": []}),
    ("progress summary for Tom: his goals weren't reached yet", {"goals": []}),
    ("her goals were to garden again and carry shopping", {"goals": ["garden again and carry shopping"]}),
    ("progress summary for Tom, goals: not met", {"goals": []}),
    ("progress summary for Tom: goals have been met", {"goals": []}),
    ("progress summary for Tom, goals remain unmet", {"goals": []}),
    ("goal is to never fall again", {"goals": ["never fall again"]}),
    ("goal: no falls this winter", {"goals": ["no falls this winter"]}),
    ("progress summary for Tom, goals nearly met", {"goals": []}),
    ("goal: on track to walk 5 km", {"goals": ["on track to walk 5 km"]}),
    # free-text fields stop at the next field or at "referred by"
    ("new client Al Ray, diagnosis: COPD, precautions: no heavy lifting, referred by Dr. Kim",
     {"diagnosis": "COPD", "precautions": ["no heavy lifting"], "physician": "Dr. Kim"}),
    ("New client Ann Wu, goal: walk to church, referred by Dr. Kim, cardiology",
     {"diagnosis": None, "goals": ["walk to church"]}),
    ("squats in her ortho shoes, 3x10", {"specialty": None}),
    ("clearance request letter for Maria", {"kind": "referral-letter", "letter_type": "clearance-request"}),
    ("session on 2 November for Maria: TUG 11.5 s", {
        "assessments": [{"date": "2026-11-02", "measure": "Timed Up and Go", "value": 11.5, "unit": "s"}]}),
    ("session log for Maria on 2026-11-20: 3x8 deadlift with 12 kg", {
        "session": {"date": "2026-11-20",
                    "exercises": [{"name": "Deadlift", "sets": 3, "reps": 8, "load": "12 kg"}]}}),
    # intake lines: the diagnosis stops where "referred by" begins; limits are limits
    ("New client Ann Wu, diagnosis: type 2 diabetes, referred by Dr. Priya Nair, endocrinology.",
     {"client": "Ann Wu", "diagnosis": "type 2 diabetes", "physician": "Dr. Priya Nair"}),
    ("new client Bob Diaz, 71, COPD, referred by Dr. Lena Kim, pulmonology. SpO2 must stay at or "
     "above 88%", {"client": "Bob Diaz", "diagnosis": "COPD", "specialty": "pulmonology",
                   "limits": {"spo2_min": 88}, "session": {}}),
    ("Ann Wu's physician limits: blood pressure up to 150/95, blood glucose 100 to 250",
     {"client": "Ann Wu", "limits": {"bp_max": "150/95", "glucose_min": 100, "glucose_max": 250},
      "session": {}, "diagnosis": None}),
    # what describes the person is not the diagnosis
    ("new client Bob Diaz, retired teacher, COPD, referred by Dr. Lena Kim",
     {"client": "Bob Diaz", "diagnosis": "COPD"}),
    ("new client Ann Lee, 64, retired nurse, referred by Dr. Kim", {"diagnosis": None}),
    ("new client Sam Ode, works as a bus driver, low back pain, referred by Dr. Kim",
     {"diagnosis": "low back pain"}),
    ("new client Al Ray, former MI, referred by Dr. Kim", {"diagnosis": "former MI"}),
    ("new client Al Ray, former smoker with COPD, referred by Dr. Kim", {"diagnosis": "COPD"}),
    ("new client Al Ray, retired, COPD, referred by Dr. Kim", {"diagnosis": "COPD"}),
    ("new client Al Ray, works as a carer, COPD, referred by Dr. Kim", {"diagnosis": "COPD"}),
    ("new client Al Ray, manager who has had a stroke, referred by Dr. Kim",
     {"diagnosis": "a stroke"}),
    ("new client Al Ray, job-related low back injury, referred by Dr. Kim",
     {"diagnosis": "job-related low back injury"}),
    ("new client Al Ray, works as a nurse and has type 2 diabetes, referred by Dr. Kim",
     {"diagnosis": "type 2 diabetes"}),
    # found in review: readings of a session are never limits
    ("session log for Ann today: 3x10 squats, max HR 162, SpO2 min 86% during the walk, glucose "
     "110 and 165 before and after, within range", {"limits": {}}),
    ("session log for Tom today: 3x10 rows, max HR 162. cleared by his cardiologist in october",
     {"limits": {}}),
    ("her doctor's note: bp below 90/60 means stop", {"limits": {}}),
    ("her cardiologist cleared her with HR limit 120 and BP max 160/100",
     {"client": None, "limits": {"hr_max": 120, "bp_max": "160/100"}, "session": {}}),
    # found in this round: the physician is spoken of even when the name was read first
    ("Ann Wu, referred by Dr. Kim (cardiology). HR max 120",
     {"physician": "Dr. Kim", "specialty": "cardiology", "limits": {"hr_max": 120}}),
    ("Ann Wu: keep HR under 120", {"client": "Ann Wu", "limits": {"hr_max": 120}}),
    ("Ann Wu, HR max 120", {"limits": {}}),
    ("Ann Wu today: 3x10 squats, kept HR under 120", {"limits": {}}),
    # found in review: a doctor named in passing does not make a reading a limit
    ("Ann Wu: resting HR below 60, Dr. Kim to review", {"limits": {}}),
    ("Ann Wu walked 20 min on treadmill, HR up to 142, BP 150/88, Dr. Kim aware", {"limits": {}}),
    ("Ann Wu: pt struggled to keep HR under 130 on intervals", {"limits": {}}),
    ("Ann Wu: couldnt keep sats above 90 on stairs", {"limits": {}}),
    # found by a tester: an intake line with the age right after the name
    ("new pt Gloria Banks 71F, T2DM + HTN, ref by Dr. Samuel Okafor, internal medicine",
     {"client": "Gloria Banks", "diagnosis": "T2DM + HTN", "physician": "Dr. Samuel Okafor",
      "specialty": "internal medicine"}),  # as said (a tester), not the letter profile's name
    ("referred by Dr. Kim, orthopaedics", {"specialty": "orthopedic surgery"}),
    ("new pt: Gloria Banks, 71F, T2DM + HTN, ref by Dr. Samuel Okafor",
     {"client": "Gloria Banks", "diagnosis": "T2DM + HTN"}),
    # found by a tester: "stop if SpO2 under 92" is the lower SpO2 limit
    ("Dr Okafor's limits for Ann Wu: BP up to 150/90, glucose 100-250, stop if SpO2 under 92",
     {"physician": "Dr. Okafor",
      "limits": {"bp_max": "150/90", "glucose_min": 100, "glucose_max": 250, "spo2_min": 92}}),
    # found by a tester: a second dated value of a measure; "8.9 s" is no exercise of 9 s
    ("Ann Wu: 30s chair stand 8 reps on 11/5 (intake), 12 reps today. TUG 11.2 s on 11/5, "
     "8.9 s today",
     {"session": {}, "assessments": [
         {"date": "2026-11-05", "measure": "30-second chair stand", "value": 8.0, "unit": "reps"},
         {"date": "2026-11-25", "measure": "30-second chair stand", "value": 12.0, "unit": "reps"},
         {"date": "2026-11-05", "measure": "Timed Up and Go", "value": 11.2, "unit": "s"},
         {"date": "2026-11-25", "measure": "Timed Up and Go", "value": 8.9, "unit": "s"}]}),
    # found by a tester: a goal "for <client>", and goals listed with semicolons
    ("add a goal for Ann Wu: walk 30 minutes without knee pain",
     {"client": "Ann Wu", "goals": ["walk 30 minutes without knee pain"]}),
    ("goals for Ann Wu: walk 30 min by 2/1/2027; climb stairs reciprocally",
     {"goals": ["walk 30 min by 2/1/2027", "climb stairs reciprocally"]}),
    ("Ann Wu goal: walk 1 km; BP 130/80 before", {"goals": ["walk 1 km"]}),
    # found live: a possessive is no part of the name; an office's instruction is a limit
    ("Ann Wu: Dr. Patel's office says keep BP under 160/100",
     {"physician": "Dr. Patel", "limits": {"bp_max": "160/100"}, "session": {}}),
    ("new pt Ann Wu, CHF, cardiology referral. will call Dr. Lee tmrw",
     {"specialty": "cardiology", "addressee": "Dr. Lee"}),
    ("session log for Ann today: 2x10 sit-to-stand, BP 155/92 before, glucose 140 before",
     {"limits": {}, "session": {"date": "2026-11-25",
      "vitals": {"bp_pre": "155/92", "glucose_pre": 140},
      "exercises": [{"name": "Sit-to-stand", "sets": 2, "reps": 10}]}}),
    # precautions the physician gave, one item each; a question about them states none
    ("Dr. Kwan says no lunges and no jogging for 8 weeks for Ines Roy",
     {"client": "Ines Roy", "precautions": ["No lunges", "No jogging for 8 weeks"]}),
    ("Ines Roy: her surgeon wants her to avoid hip flexion past 90 degrees",
     {"precautions": ["Avoid hip flexion past 90 degrees"]}),
    ("physio said not to load the left arm, also avoid overhead presses",
     {"precautions": ["Do not load the left arm", "Avoid overhead presses"]}),
    ("Dr. Kwan said no restrictions for Ines Roy", {"precautions": []}),
    ("session for Ines Roy today: 3x10 bridges, client said no pain", {"precautions": []}),
    ("cardiologist says no more than 120 for HR", {"precautions": []}),
    ("which precautions does Ines Roy have?", {"precautions": [], "goals": []}),
    ("what are Ines Roy's precautions and goals?", {"precautions": [], "goals": []}),
    ("what goals does Ines Roy have", {"goals": []}),
    ("goal to walk 1 km by May", {"goals": ["walk 1 km by May"]}),
    # why a clearance request is sent now (a tester); only in a clearance request
    ("clearance request letter for Ines Roy, reason: starting resistance training",
     {"request_reason": "Starting resistance training", "discharge_reason": None}),
    ("clearance request for Ines Roy because she wants to join the aqua class",
     {"request_reason": "She wants to join the aqua class"}),
    ("clearance letter to Dr. Kwan for Ines Roy before she starts the walking group",
     {"request_reason": "Before she starts the walking group", "addressee": "Dr. Kwan"}),
    ("session log for Ines Roy because she wants a copy", {"request_reason": None}),
    ("clearance request for Ines Roy re: her post-exercise BP and SpO2",
     {"request_reason": "Her post-exercise BP and SpO2"}),
    # found in review: labels, lifted restrictions, someone else's doctor, asides
    ("Hip precautions: no flexion past 90", {"client": None}),
    ("Referring physician: Dr. Alan Patel", {"client": None}),
    ("Dr. Kwan said the no kneeling restriction is lifted, she can kneel now", {"precautions": []}),
    ("gp says don't worry", {"precautions": []}),
    ("Ines Roy's husband's doctor said no driving", {"precautions": []}),
    ("Dr. Kwan says no running and also no jumping",
     {"precautions": ["No running", "No jumping"]}),
    ("Dr. Kwan says no running but walking is fine", {"precautions": ["No running"]}),
    ("no pain today, consent signed", {"consent": True}),
    ("Ines Roy has signed the consent form", {"consent": True}),
    ("Ines Roy returned the consent form unsigned", {"consent": False}),
    ("Ines Roy in today, consent form discussed", {"consent": None}),
    ("Ines Roy signed the informed consent for exercise testing", {"consent": None}),
    ("Ines Roy got permission from Dr. Kwan to start running", {"consent": None}),
    # the name first, then a labelled field (a tester)
    ("Ines Roy goals: walk 1 km; climb stairs",
     {"client": "Ines Roy", "goals": ["walk 1 km", "climb stairs"]}),
    # the client's permission to contact the physician (every letter asks for it)
    ("Ines Roy's consent form is signed", {"consent": True}),
    ("for Ines Roy: she signed the release of information today", {"consent": True}),
    ("Ines Roy hasn't signed the consent form yet", {"consent": False}),
    ("does Ines Roy need a signed consent form?", {"consent": None}),
    ("session for Ines Roy today: 3x10 squats, she has a release from her GP", {"consent": None}),
    # a physician's stop threshold is a precaution, never a session reading (a tester)
    ("Ines Roy: her doctor says bp below 90/60 means stop",
     {"precautions": ["BP below 90/60 means stop"], "session": {}}),
    ("Dr. Kwan says stop if BP under 90/60", {"precautions": ["Stop if BP under 90/60"]}),
    ("Ines Roy: stop if bp over 180/100", {"session": {}, "limits": {}}),
    ("BP 130/80 before, 128/78 after",
     {"session": {"vitals": {"bp_pre": "130/80", "bp_post": "128/78"}, "date": "2026-11-25"}}),
    # the doctor named after the limit still cues it
    ("Ines Roy: HR max 120 per Dr. Kwan", {"limits": {"hr_max": 120}, "session": {}}),
]  # fmt: skip


@pytest.mark.parametrize(("message", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_reads_case_facts(message: str, expected: dict[str, Any]) -> None:
    facts = vars(read_case_facts(message, TODAY))
    for key, value in expected.items():
        assert facts[key] == value, key


@pytest.mark.parametrize(
    ("message", "when"),
    [
        ("session log for Maria on Monday: 3x10 squats", "2026-11-23"),
        ("session log for Maria on Wednesday: 3x10 squats", "2026-11-25"),
        ("session log for Maria last Wednesday: 3x10 squats", "2026-11-18"),
        ("session log for Maria on Thursday: 3x10 squats", "2026-11-19"),
        ("session log for Maria yesterday: 3x10 squats", "2026-11-24"),
        ("session log for Maria on 30 December: 3x10 squats", "2025-12-30"),
        ("session log for Maria: 3x10 squats", "2026-11-25"),
        ("session log for Maria 11/18: 3x10 squats", "2026-11-18"),
        ("session log for Maria 18/11: 3x10 squats, RPE 5/10", "2026-11-18"),
        ("session log for Maria 12/20: 3x10 squats", "2025-12-20"),
        ("session log for Maria: 3x10 squats, pain 3/10 after", "2026-11-25"),
        ("session log for Maria: 3x10 squats, 3/10 knee pain after", "2026-11-25"),
        ("session log for Maria: 3x10 squats, quad strength 4/5, completed 8/10", "2026-11-25"),
        ("session log for Maria: 2x10 1/2 kneeling chops", "2026-11-25"),
        ("session log for Maria on 11/28/99: 3x10 squats", "2026-11-25"),
        ("session log for Maria: knee pain 2/10: leg press 3x10", "2026-11-25"),
    ],
)
def test_dates_are_relative_to_the_injected_today(message: str, when: str) -> None:
    assert read_case_facts(message, TODAY).session["date"] == when


@pytest.mark.parametrize(
    "message",
    ["RPE 10/10 after 3x10 squats", "session on 11/30: 3x10 squats", "BP 80/120 oddly written"],
)
def test_figures_that_are_not_blood_pressure_are_not_read_as_one(message: str) -> None:
    vitals = read_case_facts(message, TODAY).session.get("vitals", {})
    assert "bp_pre" not in vitals and "bp_post" not in vitals


def test_a_physician_is_never_taken_for_the_client() -> None:
    facts = read_case_facts("letter for Dr. Alan Patel about the new program", TODAY)
    assert facts.client is None and facts.physician == "Dr. Alan Patel"


DOCTORS = [
    # message, referring physician read, doctor written or spoken to, said who the physician is
    ("new pt: Ida Ross, s/p TKR, ref by Dr. Maria Lopez", "Dr. Maria Lopez", None, True),
    ("Ida Ross's physician is Dr. Alan Patel, orthopedic surgery", "Dr. Alan Patel", None, True),
    ("referred to us by Dr. Kim for Ida Ross", "Dr. Kim", None, True),
    ("Dr. Lopez cleared Ida Ross for step-ups", "Dr. Lopez", None, False),
    ("notice to Dr. Lopez for Ida Ross: knee swelling", None, "Dr. Lopez", False),
    ("progress update letter for Ida Ross to her cardiologist Dr. Amy Wong", None, "Dr. Amy Wong",
     False),
    ("Ida Ross today: 3x10 squats; she said it hurt so I will call Dr. Lopez", None, "Dr. Lopez",
     False),
    ("change Ida Ross's physician to Dr. Amy Wong, cardiology", "Dr. Amy Wong", None, True),
    ("Ida Ross was referred to Dr. Amy Wong, cardiology, for a stress test", None, "Dr. Amy Wong",
     False),
    ("Ida Ross saw her cardiologist Dr. Amy Wong, who cleared her", "Dr. Amy Wong", None, False),
    ("Ida Ross was re-referred to me for balance work by Dr. Ray Tan", "Dr. Ray Tan", None, True),
    ("progress update letter for Ida Ross (referred by Dr. Alan Patel) to Dr. Amy Wong",
     "Dr. Alan Patel", "Dr. Amy Wong", True),
    ("Ida Ross today: 3x10 squats, she said Dr. Kim told her to skip lunges", None, None, False),
    # found in review: a doctor the client is sent to is not the referrer; the one said to be is
    ("Ida Ross: sent her to Dr. Amy Wong, cardiology, for an echo", None, "Dr. Amy Wong", False),
    ("Ida Ross: referring her to Dr. Sam Ortiz for a stress test", None, "Dr. Sam Ortiz", False),
    ("Ida Ross referral to Dr. Patel for stress test pending", None, "Dr. Patel", False),
    ("Ida Ross was seen at the ortho clinic last wk, her referrer is now Dr. Ben Kim",
     "Dr. Ben Kim", None, True),
    ("Ida Ross s/p TKA, surgeon Dr. Lee, referred by Dr. Kim", "Dr. Kim", None, True),
    ("Referral: Dr. Kim, cardiology, for Ida Ross", "Dr. Kim", None, True),
]  # fmt: skip


@pytest.mark.parametrize(("message", "physician", "addressee", "stated"), DOCTORS)
def test_a_doctor_written_to_is_not_the_referring_physician(
    message: str, physician: str | None, addressee: str | None, stated: bool
) -> None:
    facts = read_case_facts(message, TODAY)
    assert (facts.physician, facts.addressee, facts.physician_stated) == (
        physician, addressee, stated
    )


@pytest.mark.parametrize(
    ("message", "ending"),
    [
        ("Ida Ross today: 3x10 squats; she reported pain so I will call Dr. Lopez",
         "I will call Dr. Lopez"),
        ("Ida Ross today: 3x10 squats, she said Dr. Kim told her to skip lunges",
         "Dr. Kim told her to skip lunges"),
    ],
)  # fmt: skip
def test_a_doctor_named_in_what_the_client_said_stays_in_it(message: str, ending: str) -> None:
    report = read_case_facts(message, TODAY).session["client_report"]
    assert report.endswith(ending)


def test_the_same_intake_sent_twice_changes_nothing_the_second_time() -> None:
    from assistant.chat.cases import merge_facts

    intake = "new client Maria, s/p right TKA, referred by Dr. Kim"  # stored as "S/p right TKA"
    case, changes = merge_facts(None, "Maria", read_case_facts(intake, TODAY))
    assert ("diagnosis", "S/p right TKA") in changes
    assert merge_facts(case, "Maria", read_case_facts(intake, TODAY))[1] == []


def test_the_same_session_sent_twice_records_its_exercises_once() -> None:
    from assistant.chat.cases import merge_facts

    message = "session log for Maria today: 3x10 sit-to-stand, 2x12 step-ups, BP 128/82 before"
    case, changes = merge_facts(None, "Maria", read_case_facts(message, TODAY))
    assert ("session", "2026-11-25") in changes
    again, repeated = merge_facts(case, "Maria", read_case_facts(message, TODAY))
    assert repeated == []
    assert [e.name for e in again.sessions[0].exercises] == ["Sit-to-stand", "Step-ups"]
    more, added = merge_facts(again, "Maria", read_case_facts("Maria today: 3x10 squats", TODAY))
    assert added == [("session", "2026-11-25")]
    assert len(more.sessions) == 1 and len(more.sessions[0].exercises) == 3
    later = read_case_facts("Maria today: 3x12 mini squats, BP 126/80 before", TODAY)
    second, _ = merge_facts(more, "Maria", later)  # other readings before: another session
    assert [len(x.exercises) for x in second.sessions] == [3, 1]
    assert [x.vitals.bp_pre for x in second.sessions] == ["128/82", "126/80"]


@pytest.mark.parametrize(
    ("message", "client", "when", "exercises"),
    [
        ("Add a session for Ana Ruiz: marching 30 seconds, 2 sets of 10 heel raises",
         "Ana Ruiz", "2026-11-25", ["Marching", "Heel raises"]),
        ("session log for Mrs. Chen today: 3x10 wall push-ups", "Mrs. Chen", "2026-11-25",
         ["Wall push-ups"]),
        ("Sorry, it was 3x12 squats today", None, "2026-11-25", None),
        ("session log for Maria on 3 March: 3x10 squats", "Maria", "2026-03-03", ["Squats"]),
    ],
)
def test_exercise_words_are_not_months_and_titles_are_part_of_a_name(
    message: str, client: str | None, when: str, exercises: list[str] | None
) -> None:
    facts = read_case_facts(message, TODAY)
    assert facts.client == client
    assert facts.session["date"] == when
    if exercises is not None:
        assert [e["name"] for e in facts.session["exercises"]] == exercises


def test_a_physician_name_with_an_apostrophe_is_read_whole() -> None:
    facts = read_case_facts("letter for Quinn Dale, Dr Sarah O'Neil, orthopedic surgery", TODAY)
    assert facts.physician == "Dr. Sarah O'Neil" and facts.client == "Quinn Dale"
    assert not facts.leftover.strip(" ,")


def test_a_single_reading_after_a_before_and_after_pair_is_not_taken_as_after() -> None:
    message = "Ida Ross today: 3x10 squats, BP 128/82 before, 136/84 after, SpO2 97%"
    vitals = read_case_facts(message, TODAY).session["vitals"]
    assert (vitals["bp_post"], vitals.get("spo2_pre"), vitals.get("spo2_post")) == (
        "136/84", 97, None
    )


@pytest.mark.parametrize(
    ("on_file", "named", "same"),
    [
        ("Dr. Maria Lopez", "Dr. Lopez", True),
        ("Dr. Maria Lopez Garcia", "Dr. Lopez Garcia", True),
        ("Dr. Maria Lopez", "Dr. M. Lopez", True),
        ("Dr. Maria Lopez", "Dr. Maria Lopez, MD", True),
        ("Dr. Maria Lopez", "Dr. Ana Lopez", False),
        ("Dr. Maria Lopez", "Dr. A. Lopez", False),
        ("Dr. Maria Lopez", "Dr. Maria Garcia", False),
    ],
)
def test_the_same_doctor_is_known_by_a_shorter_name(on_file: str, named: str, same: bool) -> None:
    from assistant.chat.cases import same_doctor

    assert same_doctor(on_file, named) is same
