"""A pasted referral letter is read as case facts, never as a session."""

from __future__ import annotations

import pytest

from assistant.chat.referral_letters import read_referral_letter

ORTHO = """Dear colleague,

Re: Mrs. Edith Varga, DOB 02/03/1950

Thank you for taking Mrs. Varga on. She had a right total hip arthroplasty on 2 October 2026 and
finished outpatient physiotherapy last week. I am referring her for supervised exercise to
rebuild strength and walking tolerance.

Diagnosis: Right THA (Z96.641), osteoporosis.
Precautions: no hip flexion past 90 degrees, avoid crossing the legs; no impact work.
Please keep BP under 150/95 and HR below 115 during exercise.

Kind regards,

Dr. Tomas Lindqvist
Orthopaedic Surgery, Harbour Hospital
"""

CARDIO = """To whom it may concern,

Patient: Kofi Mensah
I am referring my patient, who completed phase II cardiac rehabilitation after a stent in
August, for ongoing supervised exercise.
Reason for referral: coronary artery disease, stable.
Goals: walk 45 minutes without stopping; return to bowling.
His SpO2 should stay at or above 92% and heart rate under 125.

Sincerely,
Priya Raman, MD, FACC
Cardiology
"""


@pytest.mark.parametrize(
    ("letter", "expected"),
    [
        (ORTHO, {
            "client": "Edith Varga", "physician": "Dr. Tomas Lindqvist",
            "specialty": "orthopedic surgery", "diagnosis": "Right THA, osteoporosis",
            "icd10": "Z96.641",
            "precautions": ["No hip flexion past 90 degrees", "Avoid crossing the legs",
                            "No impact work"],
            "limits": {"bp_max": "150/95", "hr_max": 115}, "session": {},
        }),
        (CARDIO, {
            "client": "Kofi Mensah", "physician": "Dr. Priya Raman", "specialty": "cardiology",
            "diagnosis": "coronary artery disease, stable",
            "goals": ["Walk 45 minutes without stopping", "Return to bowling"],
            "limits": {"spo2_min": 92, "hr_max": 125}, "session": {},
        }),
    ],
    ids=["orthopaedic", "cardiology"],
)  # fmt: skip
def test_reads_a_pasted_letter_as_the_referral(letter: str, expected: dict[str, object]) -> None:
    facts = read_referral_letter(letter)
    assert facts is not None and facts.physician_stated
    for key, value in expected.items():
        assert getattr(facts, key) == value, key


@pytest.mark.parametrize(
    "message",
    [
        "session log for Edith Varga today: 3x10 sit-to-stand, BP 128/82 before, RPE 5",
        "Dear team, thanks for today.",  # short: no letter
        "Re: Edith Varga\n" + "she did 3x10 squats today, BP 128/82\n" * 6,  # no closing
    ],
)
def test_a_note_is_not_taken_for_a_letter(message: str) -> None:
    assert read_referral_letter(message) is None


@pytest.mark.parametrize(
    ("change", "client", "physician"),
    [
        (("Re: Mrs. Edith Varga, DOB 02/03/1950", "Re: Edith Varga\n\nThank you for calling."),
         "Edith Varga", "Dr. Tomas Lindqvist"),
        (("Re: Mrs. Edith Varga", "RE: EDITH VARGA"), "Edith Varga", "Dr. Tomas Lindqvist"),
        (("Re: Mrs. Edith Varga", "Re: Exercise Referral\nPatient name: Edith Varga"),
         "Edith Varga", "Dr. Tomas Lindqvist"),
        (("Dr. Tomas Lindqvist\nOrthopaedic Surgery, Harbour Hospital",
          "Harbour Orthopaedics\nDr. Tomas Lindqvist"), "Edith Varga", "Dr. Tomas Lindqvist"),
        (("Dr. Tomas Lindqvist\nOrthopaedic Surgery, Harbour Hospital", "Sarah Jones, AEP"),
         "Edith Varga", None),  # a practitioner's signature names no physician
        (("Kind regards,\n\nDr. Tomas Lindqvist", "Regards, Dr. Tomas Lindqvist"),
         "Edith Varga", "Dr. Tomas Lindqvist"),
        (("Kind regards,", "Thanks,"), "Edith Varga", "Dr. Tomas Lindqvist"),
    ],
    ids=["name-then-blank-line", "capitals", "label-first", "clinic-first", "practitioner",
         "closing-and-name", "thanks"],
)  # fmt: skip
def test_names_stay_on_their_line_and_the_signer_must_be_a_doctor(
    change: tuple[str, str], client: str, physician: str | None
) -> None:
    facts = read_referral_letter(ORTHO.replace(*change))
    assert facts is not None
    assert (facts.client, facts.physician, facts.session) == (client, physician, {})


def test_nil_precautions_are_no_precaution() -> None:
    letter = ORTHO.replace(
        "Precautions: no hip flexion past 90 degrees, avoid crossing the legs; no impact work.",
        "Precautions: Nil",
    )
    facts = read_referral_letter(letter)
    assert facts is not None and facts.precautions == []
