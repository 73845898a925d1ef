"""Deterministic reading of a practitioner's message into ClientCase facts.

"session log for Maria today: 3x10 sit-to-stand, BP 128/82 before, 136/84 after, RPE 5" ->
client "Maria", a session dated today with one exercise, blood pressure before and after and the
session RPE. Dates ("today", "yesterday", weekdays, ISO and "2 December") are resolved against an
injected `today`. No model is involved: what is not matched is not invented.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from assistant.chat.limitnotes import read_limits
from assistant.drafting import catalog

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_MONTH_RX = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)  # whole month words only: "marching 30 seconds" is no date
_NAME_WORD = r"[A-Z](?=[A-Za-z'’\-])[a-z'’\-]*(?:[A-Z][a-z'’\-]+)?(?![A-Za-z])"
"""A capitalised name word, also "O'Neil", "McDonald", "Smith-Jones" (one inner capital)."""
_HONORIFIC = r"(?:(?:Mrs|Mr|Ms|Mx|Miss)\.?\s+)?"
"""A client may be named with a title ("Mrs. Chen"), kept as part of the name."""
_STOP_NAMES = frozenset(
    {
        "dr", "doctor", "today", "yesterday", "tomorrow", "session", "sessions", "bp", "hr",
        "rpe", "i", "the", "my", "her", "his", "their", "she", "he", "they", "we", "it", "this",
        "a", "an", "and", "add", "log", "draft", "write", "please", "client", "patient", "mes",
        "icd", "spo2", "tug", "lefs", "psfs", "goal", "goals", "plan", "notes", "diagnosis",
        "progress", "discharge", "referral", "letter", "summary", "new", "last", "next", "on",
        "for", "with", "by", "yes", "no", "ok", "hi", "hello", "what", "how", "who", "when",
        "sorry", "correction", "actually", "oops", "thanks", "also", "just", "so", "well",
        "okay", "update", "note", "change", "fix", "record", "then", "now", "wait",
        *_WEEKDAYS, *_MONTHS,
    }
)  # fmt: skip

_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DATE_DM = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RX + r"(?:\s+(\d{4}))?\b", re.I)
_DATE_MD = re.compile(r"\b" + _MONTH_RX + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.I)
_DATE_SLASH = re.compile(
    # "session log for Tom 11/28: ..." or "on 28/11": a slash date heads the log or follows
    # "on"; elsewhere 3/10, 4/5 or 1/2 are scores and fractions
    r"(?:(?<=\bon\s)|(?<=\bdated\s))(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/%])"
    r"|(?<![\d/.])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?=\s?:)",
    re.I,
)
_SCALE_AROUND = re.compile(
    r"\b(rpe|pain|effort|borg|scale|rated?|nprs|vas|score|strength)\W{0,3}$|^\s*(sets?|reps?|of)\b",
    re.I,
)
_DATE_REL = re.compile(r"\b(today|this morning|this afternoon|tonight|yesterday)\b", re.I)
_DATE_WEEKDAY = re.compile(r"\b(?:(last|this|on)\s+)?(" + "|".join(_WEEKDAYS) + r")\b", re.I)

_BP = re.compile(
    r"(?:\b(?:bp|blood pressure)\b[:\s]*)?(?<![\d/])(\d{2,3})\s*/\s*(\d{2,3})(?![\d/])"
    r"(?:\s*mm\s*hg)?",
    re.I,
)
_PRE = re.compile(r"\b(before|pre|pre-?session|pre-?exercise|resting|at rest|at start|start)\b")
_POST = re.compile(r"\b(after|post|post-?session|post-?exercise|at end|end|afterwards)\b")
_VITAL_NAMES = {
    "hr": r"(?:hr|heart rate|pulse)",
    "spo2": r"(?:spo2|sp02|o2 sat|oxygen saturation|saturation|sats?)",
    "glucose": r"(?:glucose|blood sugar|bg)",
}
_VITAL_VALUE = r"(\d{2,3})(?:\s*(?:bpm|%|mg/dl))?"
_RPE = re.compile(r"\brpe\b[:\s]*(?:of\s+)?(\d{1,2}(?:\.\d)?)(?:\s*/\s*10)?", re.I)
_DURATION = re.compile(
    r"\b(?:(?:session|duration|lasted|for)\s*(?:of|was|:)?\s*)?(\d{1,3})\s*-?\s*"
    r"(min|mins|minutes?|h|hrs?|hours?)\b(?:\s*(?:long\s+)?session)?",
    re.I,
)
_LOAD = (
    r"(?:\d+(?:\.\d+)?\s*(?:kg|kgs|lb|lbs|pounds?|kilos?)\b(?:\s*(?:vest|dumbbells?|kettlebell))?"
    r"|bodyweight|body weight|(?:light|medium|heavy|red|green|blue|black|yellow)\s+band)"
)
_EXPONENT = re.compile(
    r"\b\d+(?:\.\d+)?e[+-]?\d+\b(?:\s*(?:kg|kgs|lbs?|pounds?|kilos?|reps?)\b)?", re.I
)
_SETS_REPS = re.compile(r"(\d{1,2})\s*[x×]\s*(\d{1,3})\b", re.I)
_SETS_OF = re.compile(r"\b(\d{1,2})\s+sets?\s+of\s+(\d{1,3})(?:\s*reps?)?\b", re.I)
_EX_TIME = re.compile(r"(?<![\d.])\b(\d{1,3})\s*(min|mins|minutes?|s|sec|secs|seconds?)\b", re.I)
_FOLLOW_UP = re.compile(
    r"^(?:and\s+|then\s+|now\s+)?(\d+(?:\.\d+)?)\s*(reps|s|sec|seconds|m/s|m|metres|meters|kg|%|"
    r"points)?(?![\w/])",
    re.I,
)
"""A second value of the measure just read, with its own date: "TUG 11.2 s on 11/5, 8.9 s today"."""
_MEASURE_VALUE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(reps|s|sec|seconds|m/s|m|metres|meters|kg|%|points)?(?![\w/])"
)
_LOAD_RX = re.compile(r"(?:@|at|with|using)?\s*(" + _LOAD + r")", re.I)

_DR = re.compile(r"\b(?:Dr|DR|dr|Doctor)\.?\s+(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){0,2})")
_TO_DOCTOR = re.compile(
    r"\b(?:to|call(?:ed|ing)?|notif(?:y|ied|ying)|e-?mail(?:ed|ing)?|fax(?:ed|ing)?|"
    r"phon(?:e|ed|ing)|ring|rang|text(?:ed|ing)?|tell|told|inform(?:ed|ing)?|ask(?:ed|ing)?|"
    r"updat(?:e|ed|ing)|cc|contact(?:ed|ing)?|copy(?: in)?|let)\s+"
    r"(?:(?:her|his|their|the|client'?s|the client'?s|a|new)\s+)?(?:[a-z-]+\s+){0,2}$",
    re.I,
)
_REFERRER_CUE = re.compile(
    r"\b(?:(?:re-?)?referr(?:ed|ing|al)|ref(?:'?d)?|sent)\b[^.;\n]{0,40}?\b(?:by|from)\s+"
    r"(?:[\w'-]+\s+){0,3}$"
    r"|\b(?:referr(?:ing|al)|ref)\s*(?:physician|doctor|dr|md|source)?\s*[:-]\s*$"
    r"|\breferring\s+(?:physician|doctor|provider|md|gp|surgeon)\s+(?:is\s+)?$"
    r"|\b(?:physician|doctor|gp|surgeon|specialist|pcp|provider|referrer)(?:'s)?\s+(?:is|was|"
    r"now|:|-|changed|to|is now|will be|has changed to)(?:\s+(?:now|to))?\s*$"
    r"|\bby\s+$",
    re.I,
)
"""Words saying the doctor named next is the referrer: "referred by", "referral from her GP",
"Referral: ", "her physician is", "change her physician to"."""
_REFERRED_OUT = re.compile(
    r"\b(?:saw|seen|visited|sees|seeing)\s+(?:by\s+)?(?:(?:her|his|their|the|a|an)\s+)?"
    r"(?:[\w-]+\s+){0,2}$",
    re.I,
)
"""A doctor the client saw or was seen by ("seen by her cardiologist Dr. X") is not thereby the
referrer."""
_ADDRESSEE_SPECIALTY = re.compile(r"\s*(?:,|\(|-)\s*[A-Za-z -]{3,30}(?=[),.;\n]|$)")
"""What follows a name: "Dr. Amy Wong, cardiology"."""
_REPORTED = re.compile(
    r"\s+(?:told|tells|said|says|mentioned|thinks|thought|advised|warned|wants)\b", re.I
)
"""A doctor named as the one who said something, in the client's report."""
_BY_DOCTOR = re.compile(r"\b(?:by|from|under|of)\s+(?:[a-z-]+\s+)?$", re.I)
_ICD = re.compile(r"(?:\b(?i:icd-?10)\s*(?:code)?[:\s]*)?\b([A-TV-Z]\d{2}\.[0-9A-Z]{1,4})\b")
_IN_SENTENCE = r"(?:[^.;\n]|(?<=\bDr)\.|(?<=\bMr)\.|(?<=\bMs)\.|(?<=\bMrs)\.)"
"""A character of a sentence: the stop after "Dr" or "Mrs" does not end it."""
_UNTIL_REFERRED = (
    r"(?:(?!\b(?:referred|ref(?:'d)?|sent)\s+(?:by|from)\b|,\s*[A-Za-z][\w ]{0,20}:)"
    + _IN_SENTENCE + ")"
)
"""A character of a diagnosis or free-text field: it stops where "referred by" (who sent the
client) or the next labelled field (", precautions:") begins."""
_DIAGNOSIS = re.compile(
    r"\b(?:diagnosis|dx|diagnosed with)\s*(?:is|was|:|-|of)?\s*(" + _UNTIL_REFERRED + r"+)|"
    r"\breferred\b[^.;\n]{0,60}?\b(?:for|with|after)\s+(?:a\s+|an\s+)?([^.;,\n]+)",
    re.I,
)
_INTAKE_DIAGNOSIS = re.compile(
    # "new client Ann Wu, 57, type 2 diabetes, referred by ...": the name is blanked by then
    r"^(?:\s*new\s+(?:client|cleint|clinet|clent|patient|pt|referral)\b[\s:,-]*|\s+,\s*)"
    r"(?:\d{1,3}\s*(?:yo|y/?o|years?\s+old|[MFmf])?\s*,\s*)?"
    r"([^.;\n]{0,120}?[A-Za-z]{3}[^.;\n]{0,120}?),?\s\s*\b(?:re?ff?err?ed|ref(?:'d)?|sent)\s+(?:by|from)\b",
    re.I,
)
_OCCUPATION = (
    r"(?:teacher|nurse|engineer|firefighter|police officer|officer|farmer|accountant|driver"
    r"|bus driver|truck driver|mechanic|builder|carpenter|electrician|plumber|chef|cook|lawyer"
    r"|banker|clerk|secretary|soldier|veteran|athlete|runner|dancer|musician|professor|librarian"
    r"|pilot|miner"
    r"|postman|mail carrier|waiter|waitress|cleaner|smoker|office worker|civil servant|manager"
    r"|salesman|saleswoman|cashier|student|retiree|housewife|homemaker|grandmother|grandfather)"
)
_PERSON_PART = re.compile(
    # a part of an intake line that describes the person ("retired teacher", "works as a bus
    # driver", "former smoker with COPD": only "COPD" is the diagnosis)
    r"^(?:a\s+|an\s+)?(?:(?:retired|former|ex-|part-time|full-time|heavy|light|daily|student)\s*)*"
    r"(?:works?\s+as\s+(?:an?\s+)?|working\s+as\s+(?:an?\s+)?)?" + _OCCUPATION
    + r"s?(?:\s+(?:with|who has|and has)\s+(?:had\s+)?(.+))?$"
    r"|^(?:retired|works?\s+as\s+.+|working\s+as\s+.+)$",
    re.I,
)
_GOAL = re.compile(
    r"\bgoals?(?![\w'’])(?:\s*for\s+(?=\s*(?:is|are|:|-)))?\s*(?:(?:is|are|was|were)(?![\w'’])|:|-|(?=to\s))"
    r"\s*(?:to\s+)?([^\s.;\n]" + _UNTIL_REFERRED + r"*)",
    re.I,
)
"""A goal ("goal: climb 12 stairs", "her goal is to walk 1 km", "a goal for <client>: ...")."""
_MORE_GOALS = re.compile(
    r"\s*;\s*(?:and\s+)?(?!(?:bp|hr|rpe|spo2|sats?|glucose|bg|blood|heart|pulse|session|today|"
    r"yesterday|tomorrow|limits?|dx|diagnosis|plan|precautions?|referred|ref|dr)\b)"
    r"([A-Za-z][^;:.\n]{2,200})",
    re.I,
)
"""Goals listed after the first: "goals: walk 30 min; climb stairs reciprocally"."""
_GOAL_STATUS = re.compile(
    # what "goals ..." says of the goals, not a goal: "not met", "partially met", "have been
    # met", "weren't reached", "remain unmet", "on track"
    r"^(?:(?:have|has|had|haven'?t|hasn'?t|were|are|was|is|weren'?t|werent|aren'?t|isn'?t|not|never"
    r"|now|all|fully|partly|partially|mostly|largely|only|still|remain|remains|been|n't|yet"
    r"|nearly|almost|being)\s+)*"
    r"(?:nearly\s+|almost\s+|being\s+|yet\s+)?(?:met|unmet|achieved|reached|attained|on track"
    r"|in progress|not met)\b(?=\s*(?:$|[,;.]|except\b|but\b|so far\b|for now\b|already\b|yet\b))",
    re.I,
)
_DONT = (
    r"(?:no|avoid|avoiding|not to|don'?t|do not|never|only|non[- ]weight|partial weight|"
    r"toe[- ]touch|nwb|pwb|wbat|weight[- ]bearing as tolerated|stop (?:if|when|at)|"
    r"(?=(?:bp|blood pressure|hr|heart rate|pulse|spo2|sats?|glucose|sugar|bg)\s?"
    r"(?:below|under|above|over|less than|more than|<|>)\s?\d[\d/.]*\s?(?:means|=)\s?stop))\b"
    r"(?!\s+(?:more|higher|lower|less)\s+than\b|\s+(?:restrictions?|limits?|precautions?|"
    r"problems?|issues?|concerns?|changes?|worries|need|pain|symptoms?|complaints?|shows?|"
    r"appointments?|availability|rush|hurry|longer)\b|\s+(?:to\s+)?(?:worry|mind|bother|panic)\b)"
)
"""What a precaution opens with ("no kneeling", "avoid deep squats", "partial weight bearing",
"stop if BP below 90/60", "bp under 90/60 means stop"); never a limit ("no more than 120") nor
"no restrictions"."""
_PRECAUTION = re.compile(
    r"\bprecautions?\s*(?:(?:is|are|include|includes)\b|:|-|(?=" + _DONT + r"))\s*("
    + _UNTIL_REFERRED + r"+)",
    re.I,
)
"""A labelled precaution ("precautions: no kneeling"), never the word in a question ("what
precautions does she have?")."""
_ORDERED = re.compile(
    r"\b(?:dr\.?\s+[A-Za-z][\w'’-]+(?:\s+[A-Za-z][\w'’-]+)?|doctor|physician|surgeon|\w+ologist|"
    r"ortho(?:pa?edist)?|gp|pcp|physio(?:therapist)?|(?:physical )?therapist|the office)"
    r"\s*(?:(?:says?|said|wants?|wanted|advised?|advises|ordered|orders|asked|asks|instructed|"
    r"told (?:her|him|them|us|me)|recommends?|recommended)\b|:|-)\s*"
    r"(?:(?:her|him|them|the client|that(?:\s(?:she|he|they))?)\s+)?"
    r"(?:(?:to|should|must|needs? to|has to|have to)\s+)?"
    r"(" + _DONT + _IN_SENTENCE + r"{2,200})",
    re.I,
)
"""A precaution the physician gave ("Dr. Park says no kneeling and no running for 6 weeks",
"surgeon wants her to avoid deep squats past 90 degrees")."""
_NEXT_PRECAUTION = re.compile(
    r"\s*(?:,|;|\band\b|\balso\b|\s)+\s*(?=(?:no|avoid|not to|don'?t|do not|never)\b)", re.I
)
_LIMIT_SOURCE = re.compile(
    r"\b(?:per|according to|(?:set|ordered|given) by|as (?:instructed|advised) by)\s+dr\b", re.I
)
"""Limits attributed to the doctor named ("HR max 120 per Dr. Kim"); a doctor named in passing
("Dr. Kim to review") makes no reading a limit."""
_LIFTED = re.compile(
    r"\b(?:lifted|no longer|removed|ended|is over|are over|only for the first|can now|"
    r"(?:she|he|they) can (?:\w+ )?now|cleared to)\b",
    re.I,
)
"""A restriction said to be over ("no kneeling restriction is lifted"): no precaution."""
_BUT = re.compile(r"\s*\b(?:but|though|although|except|however)\b.*$", re.I)
_OTHER_PERSON = re.compile(
    r"\b(?:husband|wife|son|daughter|mother|mum|mom|father|dad|brother|sister|partner|friend)"
    r"['’]s\s+(?:\w+\s+){0,2}$",
    re.I,
)
"""Someone else's doctor ("Maria's husband's doctor said no driving")."""
_UNTIL_HOME = r"(?:(?!\b(?:and\s+)?home\s+(?:program|programme|exercises?)\b)[^.;\n])"
_DISCHARGE = re.compile(
    r"\bdischarge reason\s*(?:is|was|:|-)?\s*(" + _UNTIL_HOME + r"+)"
    r"|\bdischarged?\s+(?:because|as|since)\s+(" + _UNTIL_HOME + r"+)",
    re.I,
)
_DISCHARGE_REQUEST = re.compile(
    # only in a discharge request: "reason: goals met", "all goals achieved"
    r"\breason(?:\s+for\s+discharge)?\s*(?:is|was|:|-)\s*(" + _UNTIL_HOME + r"+)"
    r"|(?<![\w'’])((?:all\s+(?:her|his|their)\s+|all\s+)?goals?\s+(?:were\s+|are\s+|all\s+)?"
    r"(?:met|achieved|reached))\b",
    re.I,
)
_CLEARANCE_REASON = re.compile(
    # only in a clearance request: "reason: starting resistance training", "because she wants
    # to start aqua classes", "before he starts the walking group"
    r"\breason(?:\s+for\s+(?:the\s+)?(?:request|clearance|letter))?\s*(?:is|:|-)\s*("
    + _IN_SENTENCE + r"{3,300})"
    r"|\b((?:because|since|as)\s+(?:(?:she|he|they|the client|\w+)\s+)?(?:wants?|would like|is|are|"
    r"has|have|plans?|hopes?|will)\b" + _IN_SENTENCE + r"{3,300})"
    r"|\bre\s*:\s*(" + _IN_SENTENCE + r"{3,300})"  # "re: her post-exercise BP and SpO2"
    r"|\b(before\s+(?:(?:she|he|they|the client|\w+)\s+)?(?:starts?|starting|begins?|"
    r"beginning|joins?|joining|returns?|returning|goes)\b"
    + _IN_SENTENCE + r"{3,300})",
    re.I,
)
_CONSENT = re.compile(
    r"\b(?:signed|gave|given|has|have|got|obtained|received|returned|on file)\b[^.;,\n?]{0,40}?"
    r"(?<!informed )\b(?:consent|permission|authori[sz]ation|hipaa)(?: forms?)?\b"
    r"(?!\s+(?:from|for (?:exercise )?testing|to (?:start|begin|run|train|exercise)))"
    r"|(?<!informed )\b(?:consent|permission|authori[sz]ation|hipaa)(?: forms?)?\b[^.;,\n?]{0,30}?"
    r"\b(?:signed|on file|given|obtained|received|returned|(?:is|are) in)\b"
    r"|\bsigned\b[^.;\n?]{0,30}?\brelease(?: forms?)?\b",  # a release of information
    re.I,
)
"""The client's permission to contact the physician: "she signed the release", "consent on
file"; negated ("hasn't signed the consent form yet") it is recorded as not on file."""
_NO_CONSENT = re.compile(
    r"\b(?:no|not|hasn'?t|haven'?t|didn'?t|won'?t|refused|refuses|declined|declines|without|"
    r"never|yet to|unsigned)\b",
    re.I,
)
_QUESTION_OF = re.compile(r"^\s*(?:do|does|did|is|are|what|how|should|can)\b|\?", re.I)
"""A question ("does she need a signed release?") records nothing."""
_NEGATED_BEFORE = re.compile(r"\b(no|none|not|never|nor|n't|neither)\b[^.;,]{0,25}$", re.I)
_HOME_PROGRAM = re.compile(
    r"\bhome\s+(?:program|programme|exercises?)\s*(?::|-)\s*([^.;\n]+)", re.I
)
_REPORT = re.compile(
    r"\b(?:client|she|he|they)\s+(?:reports?|reported|said|says)\s+(?:that\s+)?("
    + _IN_SENTENCE + "+)",
    re.I,
)
_OBSERVED = re.compile(
    r"\bobserv(?:ed|ations?)\s*(?:that|:|-)?\s*(" + _UNTIL_REFERRED + r"+)", re.I
)
_PLAN = re.compile(r"\b(?:plan|next session)\s*(?::|-|is)\s*(" + _UNTIL_REFERRED + r"+)", re.I)

_KINDS: tuple[tuple[re.Pattern[str], str, str | None], ...] = tuple(
    (re.compile(rx, re.I), kind, letter)
    for rx, kind, letter in (
        (r"\bdischarge\s+(summary|letter|report|note)\b|\bdischarge\b", "discharge-summary", None),
        (r"\bprogress\s+(update|letter)\b", "referral-letter", "progress-update"),
        (r"\bprogress\s+(summary|report|note)\b", "progress-summary", None),
        (r"\bclearance\b", "referral-letter", "clearance-request"),
        (r"\bthank[- ]?you\s+(letter|note)\b", "referral-letter", "thank-you"),
        (r"\bpractice\s+introduction\b", "referral-letter", "practice-introduction"),
        (r"\b(introduction|introductory|intro)\b", "referral-letter", "introduction"),
        (r"\b(referral\s+)?letter\b", "referral-letter", "introduction"),
        (r"\bsession\s+(log|note|notes|record)\b|\blog\b", "session-log", None),
    )
)
_FIELD_WORDS = (
    r"hip|knee|spinal|spine|sternal|fall|falls|cardiac|back|shoulder|neck|updated|current|new|"
    r"primary|secondary|main|referring|referral|treating|medical|surgical|other|exercise|her|his|"
    r"their|weight|bearing|post|op|pre|general|standard|usual|specific|physician|doctor"
)
"""Words that open a label ("Hip precautions:", "Referring physician:"), never a client's name."""
_CLIENT_PATTERNS = (
    re.compile(
        r"\b(?:for|about|with|of)\s+(?:my\s+)?(?:client|patient)?\s*(" + _HONORIFIC + _NAME_WORD
        + r"(?:\s+" + _NAME_WORD + r")?)"
    ),
    re.compile(r"\b(" + _HONORIFIC + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?)['’]s\b"),
    re.compile(
        r"\b(?:client|patient)(?:'s)?\s*(?:name\s*)?(?:is|:)?\s+(" + _HONORIFIC + _NAME_WORD
        + r"(?:\s+" + _NAME_WORD + r")?)"
    ),
    re.compile(
        r"^\s*(" + _HONORIFIC + _NAME_WORD + r"(?:\s+" + _NAME_WORD
        + r")?)\s+(?:was|is|has|had|did|came|says|said|reports|reported|told|feels|felt|"
        r"complains|complained)\b"
    ),
    re.compile(
        r"^\s*(?:(?i:new)\s+(?i:client|cleint|clinet|clent|pt|patient|referral)\s*[:,–-]?\s*)?("
        + _HONORIFIC + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?)\s*[:,–-]"
    ),
    re.compile(  # "new pt Gloria Banks 71F, ..." (an age, no comma after the name)
        r"^\s*(?i:new)\s+(?i:client|cleint|clinet|clent|pt|patient|referral)\s*[:,–-]?\s*("
        + _HONORIFIC + _NAME_WORD + r"(?:\s+" + _NAME_WORD
        + r")?)\s+\d{1,3}\s*(?:[MFmf]|yo|y/o|years? old)?(?![\w/])"
    ),
    re.compile(  # "Tom Reyes goals: ...", "Ann Wu precautions - no kneeling" (a tester)
        r"^\s*(?!(?i:" + _FIELD_WORDS + r")\b)(" + _HONORIFIC + _NAME_WORD
        + r"[ \t]+(?!(?i:" + _FIELD_WORDS + r")\b)" + _NAME_WORD + r")[ \t]+(?i:goals?|"
        r"precautions?|limits?|diagnosis|dx|referral|physician|doctor)\s*[:–-]"
    ),
    re.compile(  # "session log Sue Kim tuesday: ..." (no "for")
        r"^\s*(?:session\s+log|progress\s+summary|discharge\s+summary)\s+("
        + _HONORIFIC + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?)\b"
    ),
)  # fmt: skip
_REQUEST = re.compile(
    r"(?<![\w-])(please|can you|could you|add|draft|write|make|create|prepare|generate|record|"
    r"log|(today|yesterday)['’]s|session|for|the|a|an|new|to|of)(?![\w-])",
    re.I,
)
_FILLER = re.compile(
    r"\b(and|the|a|an|is|was|her|his|their|physician|doctor|referring|referred|by|from|on|of|"
    r"for|with|diagnosis|dx|it'?s|that'?s|specialty|ok|okay|thanks|please|new|client|patient)\b",
    re.I,
)


@dataclass
class CaseFacts:
    """What one message says about a client; `found` lists the facts in reading order."""

    client: str | None = None
    kind: str | None = None
    letter_type: str | None = None
    physician: str | None = None
    physician_stated: bool = False
    """Whether the message says who the physician is ("referred by", "her physician is"),
    rather than only naming a doctor ("Dr. Kim cleared her")."""
    addressee: str | None = None
    """A doctor the message writes or speaks to ("a letter to Dr. Amy Wong", "I will call Dr.
    Lopez"), who is not thereby the referring physician."""
    addressee_specialty: str | None = None
    """The specialty given with the addressee's name ("to Dr. Amy Wong, cardiology")."""
    specialty: str | None = None
    diagnosis: str | None = None
    icd10: str | None = None
    session: dict[str, Any] = field(default_factory=dict)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    precautions: list[str] = field(default_factory=list)
    discharge_reason: str | None = None
    request_reason: str | None = None
    """Why a clearance request is sent now ("before she starts resistance training")."""
    consent: bool | None = None
    """Whether the client's written permission to contact the physician is on file."""
    from_letter: bool = False
    """Read from a pasted referral letter (`assistant.chat.referral_letters`)."""
    limits: dict[str, Any] = field(default_factory=dict)
    home_program: list[dict[str, Any]] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    """What the message gave that could not be recorded, in words ("RPE 15")."""
    leftover: str = ""

    @property
    def has_session(self) -> bool:
        return any(k != "date" for k in self.session)

    @property
    def has_case_facts(self) -> bool:
        return bool(
            self.physician
            or self.specialty
            or self.diagnosis
            or self.icd10
            or self.has_session
            or self.assessments
            or self.goals
            or self.precautions
            or self.discharge_reason
            or self.consent is not None
            or self.limits
            or self.home_program
        )


class _Text:
    """The message with the parts already read blanked out, so nothing is read twice."""

    def __init__(self, text: str) -> None:
        self.original = text
        self.chars = list(text)

    @property
    def rest(self) -> str:
        return "".join(self.chars)

    def take(self, start: int, end: int) -> None:
        for i in range(start, end):
            if self.chars[i] != "\n":
                self.chars[i] = " "


def _clean(value: str, limit: int = 300) -> str:
    return " ".join(value.strip(" \t,:;-–.").split())[:limit]


def _capital(value: str) -> str:
    return value[:1].upper() + value[1:]


# ---------------------------------------------------------------- dates
def _weekday(today: dt.date, name: str, qualifier: str | None) -> dt.date:
    target = _WEEKDAYS.index(name.lower())
    back = (today.weekday() - target) % 7
    if back == 0 and (qualifier or "").lower() == "last":
        back = 7
    return today - dt.timedelta(days=back)


def _month_day(today: dt.date, month: str, day: str, year: str | None) -> dt.date | None:
    index = next((i for i, m in enumerate(_MONTHS) if m.startswith(month.lower()[:3])), None)
    if index is None:
        return None
    try:
        when = dt.date(int(year) if year else today.year, index + 1, int(day))
    except ValueError:
        return None
    if not year and when > today:
        when = when.replace(year=when.year - 1)
    return when


def _slash_date(today: dt.date, first: str, second: str, year: str | None) -> dt.date | None:
    """11/28 is 28 November; 28/11 too. When both could be a month (3/4), month first."""
    a, b = int(first), int(second)
    month, day = (b, a) if a > 12 else (a, b)
    full_year = (2000 + int(year) if len(year) == 2 else int(year)) if year else today.year
    try:
        when = dt.date(full_year, month, day)
    except ValueError:
        return None
    if not year and when > today:
        when = when.replace(year=when.year - 1)
    return when if when <= today else None


def read_date(text: _Text, today: dt.date) -> dt.date | None:
    """The first date in the text (blanked out once read)."""
    rest = text.rest
    candidates: list[tuple[int, int, dt.date | None]] = []
    for m in _DATE_ISO.finditer(rest):
        try:
            when: dt.date | None = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            when = None
        candidates.append((m.start(), m.end(), when))
    for m in _DATE_DM.finditer(rest):
        candidates.append((m.start(), m.end(), _month_day(today, m[2], m[1], m[3])))
    for m in _DATE_MD.finditer(rest):
        candidates.append((m.start(), m.end(), _month_day(today, m[1], m[2], m[3])))
    for m in _DATE_SLASH.finditer(rest):
        before, after = rest[max(0, m.start() - 12) : m.start()], rest[m.end() : m.end() + 8]
        if _SCALE_AROUND.search(before) or _SCALE_AROUND.search(after):
            continue  # "pain 2/10:", "effort 7/10:", "on 4/5 sets"
        first, second, year = (m[1], m[2], m[3]) if m[1] else (m[4], m[5], m[6])
        candidates.append((m.start(), m.end(), _slash_date(today, first, second, year)))
    for m in _DATE_REL.finditer(rest):
        offset = 1 if m[1].lower() == "yesterday" else 0
        candidates.append((m.start(), m.end(), today - dt.timedelta(days=offset)))
    for m in _DATE_WEEKDAY.finditer(rest):
        candidates.append((m.start(), m.end(), _weekday(today, m[2], m[1])))
    for start, end, when in sorted(candidates, key=lambda c: c[0]):
        if when is not None:
            text.take(start, end)
            return when
    return None


# ---------------------------------------------------------------- vitals
_THRESHOLD = re.compile(
    r"\b(?:below|under|above|over|less than|more than|greater than|exceeds?|max(?:imum)?|"
    r"limit|up to)\s?(?:(?:bp|blood pressure)\b[:\s]*)?$|[<>≤≥]=?\s?$",
    re.I,
)
_SIDE_OF_THE_LAST = re.compile(r"^.*\b(?:before|after|pre|post)\w*\s*[,;]")


def _side(rest: str, start: int, end: int) -> str | None:
    after = rest[end : end + 14].lower()
    before = rest[max(0, start - 16) : start].lower()
    # "136/84 after, SpO2 97%": that "after" is the blood pressure's
    before = _SIDE_OF_THE_LAST.sub("", before)
    for window in (after, before):
        pre, post = _PRE.search(window), _POST.search(window)
        if pre and (not post or pre.start() < post.start()):
            return "pre"
        if post:
            return "post"
    return None


def _assign(pairs: list[tuple[str | None, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for side, value in pairs:
        slot = side or ("pre" if "pre" not in out else "post")
        out.setdefault(slot, value)
    return out


def read_vitals(text: _Text) -> dict[str, Any]:
    """BP, HR, SpO2 and glucose before/after, and the session RPE."""
    vitals: dict[str, Any] = {}
    rest = text.rest
    bps: list[tuple[str | None, Any]] = []
    for m in _BP.finditer(rest):
        systolic, diastolic = int(m[1]), int(m[2])
        if not (60 <= systolic <= 300 and 30 <= diastolic < systolic):
            continue
        if _THRESHOLD.search(rest[max(0, m.start() - 24) : m.start()]):
            continue  # "stop if BP below 90/60": a threshold, not a reading
        bps.append((_side(rest, m.start(), m.end()), f"{systolic}/{diastolic}"))
        text.take(m.start(), m.end())
    for side, value in _assign(bps).items():
        vitals[f"bp_{side}"] = value
    for name, words in _VITAL_NAMES.items():
        rx = re.compile(
            r"\b" + words + r"\b[:\s]*(?:of\s+)?" + _VITAL_VALUE
            + r"((?:\s*(?:,|and|->|→|to|/|then)?\s*" + _VITAL_VALUE + r")?)",
            re.I,
        )  # fmt: skip
        rest = text.rest
        for m in rx.finditer(rest):
            first_end = m.start(2) if m[2] else m.end()
            found = [(_side(rest, m.start(1), first_end), int(m[1]))]
            if m[3]:
                found.append((_side(rest, m.start(3), m.end()), int(m[3])))
            text.take(m.start(), m.end())
            for side, value in _assign(found).items():
                vitals.setdefault(f"{name}_{side}", value)
            # a later bare "110 after" belongs to the same vital
            tail = re.match(r"\s*(?:before|pre)?\s*[,;]?\s*(?:and\s+)?" + _VITAL_VALUE
                            + r"\s*(after|post)\b", text.rest[m.end():], re.I)  # fmt: skip
            if tail and f"{name}_post" not in vitals:
                vitals[f"{name}_post"] = int(tail[1])
                text.take(m.end(), m.end() + tail.end())
            break
    return vitals


# ---------------------------------------------------------------- exercises and measures
def _measure_names() -> list[tuple[str, str, str | None]]:
    names = []
    for measure in catalog.measures():
        for alias in {measure.name, *measure.aliases}:
            names.append((alias, measure.name, measure.unit))
    return sorted(names, key=lambda n: -len(n[0]))


def _whole_word(name: str) -> str:
    return r"(?<![\w-])" + re.escape(name.lower()) + r"(?![\w-])"


@cache
def _measure_patterns() -> tuple[re.Pattern[str], list[tuple[re.Pattern[str], str, str | None]]]:
    """One pattern for "any measure named here" and each alias's own, longest first."""
    names = _measure_names()
    each = [(re.compile(_whole_word(alias)), name, unit) for alias, name, unit in names]
    return re.compile("|".join(_whole_word(alias) for alias, _, _ in names)), each


@cache
def _specialty_patterns() -> tuple[re.Pattern[str], list[tuple[re.Pattern[str], str]]]:
    """One pattern for "any specialty named here" and each name's own, longest first."""
    names = sorted(
        ((n, s.label) for s in catalog.specialties() for n in (s.label, *s.aliases)),
        key=lambda n: -len(n[0]),
    )
    each = [(re.compile(_whole_word(name)), label) for name, label in names]
    return re.compile("|".join(_whole_word(name) for name, _ in names)), each


def _exercise_name(raw: str) -> str | None:
    name = re.sub(
        r"(?<![\w-])(of|with|at|using|reps?|sets?|x|and|then|did|done|plus)(?![\w-])",
        " ",
        raw,
        flags=re.I,
    )
    name = _clean(re.sub(r"[@()]", " ", name), 120)
    if not re.search(r"[A-Za-z]{3}", name) or len(name.split()) > 6:
        return None
    return _capital(name)


def read_items(
    text: _Text, when: dt.date, today: dt.date | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Exercises (sets x reps x load, or timed) and outcome measures with values."""
    exercises: list[dict[str, Any]] = []
    assessments: list[dict[str, Any]] = []
    any_measure, measures = _measure_patterns()
    offset = 0
    last: tuple[str, str] | None = None  # the measure just read, for a dated second value
    for segment in re.split(r"[,;\n]|\band\b|\bthen\b|\.\s", text.rest):
        seg_start = text.rest.find(segment, offset)
        offset = seg_start + len(segment)
        words = segment.strip()
        if not words:
            continue
        load = _LOAD_RX.search(words)
        load_text = _clean(load[1], 60) if load else None
        reps = _SETS_REPS.search(words) or _SETS_OF.search(words)
        if reps:
            name_part = words[: reps.start()] + " " + words[reps.end() :]
            if load:
                name_part = name_part.replace(load[0], " ")
            name = _exercise_name(name_part)
            if name:
                item: dict[str, Any] = {"name": name, "sets": int(reps[1]), "reps": int(reps[2])}
                if load_text:
                    item["load"] = load_text
                exercises.append(item)
                text.take(seg_start, seg_start + len(segment))
            continue
        lowered = words.lower()
        again = _FOLLOW_UP.match(words) if last and not any_measure.search(lowered) else None
        dated = read_date(_Text(words), today) if again and today else None
        if again and dated and last:
            assessments.append(
                {"date": dated.isoformat(), "measure": last[0], "value": float(again[1]),
                 "unit": again[2] or last[1]}
            )  # fmt: skip
            text.take(seg_start, seg_start + len(segment))
            continue
        last = None
        for alias_rx, measure_name, unit in measures if any_measure.search(lowered) else ():
            at = alias_rx.search(lowered)
            if not at:
                continue
            value = _MEASURE_VALUE.search(lowered[at.end() :])
            if value:
                own = read_date(_Text(words), today) if today else None
                assessments.append(
                    {
                        "date": (own or when).isoformat(),
                        "measure": measure_name,
                        "value": float(value[1]),
                        "unit": value[2] or unit,
                    }
                )
                last = (measure_name, str(value[2] or unit))
                text.take(seg_start, seg_start + len(segment))
            break
        else:
            timed = _EX_TIME.search(words)
            if timed and not re.search(r"\bsession|lasted|duration\b", lowered):
                name = _exercise_name(words[: timed.start()] + " " + words[timed.end() :])
                if name:
                    unit = "min" if timed[2].lower().startswith("m") else "s"
                    exercise: dict[str, Any] = {"name": name, "time": f"{timed[1]} {unit}"}
                    if load_text:
                        exercise["load"] = load_text
                    exercises.append(exercise)
                    text.take(seg_start, seg_start + len(segment))
    return exercises, assessments


# ---------------------------------------------------------------- people and kinds
def read_client(text: str) -> str | None:
    """The client's name as written ("Maria", "Maria Gomez"), never a physician's."""
    for rx in _CLIENT_PATTERNS:
        for m in rx.finditer(text):
            before = text[max(0, m.start(1) - 4) : m.start(1)].lower()
            if re.search(r"dr\.?\s*$", before):
                continue
            words = m[1].split()
            while words and words[-1].lower().strip("'’") in _STOP_NAMES:
                words.pop()
            if words and words[0].lower() not in _STOP_NAMES:
                return " ".join(words)
    return None


def read_kind(text: str) -> tuple[str | None, str | None]:
    for rx, kind, letter in _KINDS:
        if rx.search(text):
            return kind, letter
    return None, None


def read_specialty(text: _Text) -> str | None:
    lowered = text.rest.lower()
    any_name, names = _specialty_patterns()
    if not any_name.search(lowered):
        return None
    for name_rx, label in names:
        m = name_rx.search(lowered)
        if m:
            text.take(m.start(), m.end())
            said = m[0].strip()
            # a field of its own within the profile's group stays as said ("internal medicine",
            # "geriatrics" are not "primary care"); the letters find the profile by it
            return said if re.search(r"\bmedicine$|^geriatrics$", said) else label.lower()
    return None


def _first(rx: re.Pattern[str], text: _Text) -> str | None:
    m = rx.search(text.rest)
    if not m:
        return None
    value = next((g for g in m.groups() if g), None)
    text.take(m.start(), m.end())
    return _clean(value) if value else None


def _ordered(message: str, text: _Text) -> list[str]:
    """The precautions a physician gave, each its own item ("No kneeling", "No running for 6
    weeks"); read on `message` (the doctor's name may be blanked in `text` already) from a part
    nothing else has read."""
    found: list[str] = []
    for m in _ORDERED.finditer(message):
        start, end = m.span(1)
        if not text.rest[start:end].strip() or _LIFTED.search(m[0]):
            continue
        if _OTHER_PERSON.search(message[max(0, m.start() - 40) : m.start()]):
            continue
        said = text.rest[start:end]  # without the client's name ("... for Ann Wu")
        text.take(start, end)
        for part in _NEXT_PRECAUTION.split(_BUT.sub("", said)):
            item = re.sub(r"^(?:not to|don'?t)\b", "do not", _clean(part, 200), flags=re.I)
            item = re.sub(r"\s+(?:for|with|of|to)$", "", item, flags=re.I)
            item = re.sub(r"\b(?:bp|hr|spo2)\b", lambda v: v[0].upper(), item, flags=re.I)
            if len(item) > 3 and item.lower() not in (f.lower() for f in found):
                found.append(_capital(item))
    return found[:10]


def _goals(text: _Text) -> list[str]:
    """The goal the message states, and those listed after it with semicolons."""
    m = _GOAL.search(text.rest)
    if not m or not re.search(r"[A-Za-z]{2}", m[1]):  # "what are her goals?" states none
        return []
    goals, end = [_clean(m[1])], m.end()
    text.take(m.start(), m.end())
    while len(goals) < 10 and (more := _MORE_GOALS.match(text.rest, end)):
        goals.append(_clean(more[1]))
        text.take(more.start(), more.end())
        end = more.end()
    return [g for g in goals if g]


def _intake_diagnosis(text: _Text) -> str | None:
    """The diagnosis of an intake line, without the parts that describe the person. A labelled
    field there ("goal: ...") is no diagnosis, and is left unread."""
    m = _INTAKE_DIAGNOSIS.search(text.rest)
    if not m or ":" in m[1]:
        return None
    found = _first(_INTAKE_DIAGNOSIS, text)
    if not found:
        return None
    kept: list[str] = []
    for part in (p.strip() for p in found.split(",")):
        person = _PERSON_PART.match(part)
        if not person:
            kept.append(part)
        elif person.group(1):
            kept.append(person.group(1).strip())
    return ", ".join(p for p in kept if p) or None


def _discharge_request_reason(text: _Text) -> str | None:
    """The reason a discharge request gives, unless it is negated ("none of her goals were
    met" is no reason "goals were met")."""
    m = _DISCHARGE_REQUEST.search(text.rest)
    if not m or _NEGATED_BEFORE.search(text.rest[max(0, m.start() - 40) : m.start()]):
        return None
    text.take(m.start(), m.end())
    value = _clean(next(g for g in m.groups() if g))
    return re.sub(r"\s+(and|but)$", "", value) or None


def _blank_request(text: _Text, facts: CaseFacts) -> None:
    """Blank the request words ("add today's session for Maria:") so they are not items."""
    rest = text.rest
    colon = rest.find(":")
    if colon != -1 and not re.search(r"\d\s*[x×]\s*\d|/", rest[:colon]):
        text.take(0, colon + 1)
        return
    for rx, _kind, _letter in _KINDS:
        for m in rx.finditer(rest):
            text.take(m.start(), m.end())
    for m in _REQUEST.finditer(text.rest):
        text.take(m.start(), m.end())


def _doctor(dr: re.Match[str]) -> str:
    """ "Dr. Patel" also from "Dr. Patel's office"."""
    return "Dr. " + re.sub(r"['’]s$", "", dr[1])


def _spoken_to(before: str) -> bool:
    """Whether the doctor named after `before` is written or spoken to ("a letter to her
    cardiologist", "I will call", "notify") rather than named as the referrer ("referred by")."""
    before = before[-60:]
    return not _BY_DOCTOR.search(before) and bool(_TO_DOCTOR.search(before))


def read_case_facts(message: str, today: dt.date) -> CaseFacts:
    """Every case fact the message states (see the module docstring)."""
    facts = CaseFacts()
    facts.kind, facts.letter_type = read_kind(message)
    facts.client = read_client(message)
    text = _Text(message)
    if facts.client:
        for m in re.finditer(re.escape(facts.client) + r"(?:['’]s)?", message):
            text.take(m.start(), m.end())
    referrers: list[tuple[re.Match[str], bool]] = []
    for dr in _DR.finditer(message):  # the referrer and the doctor written to may both appear
        before = message[max(0, dr.start() - 60) : dr.start()]
        stated = bool(_REFERRER_CUE.search(before)) and not _REFERRED_OUT.search(before)
        if not stated and _REPORTED.match(message, dr.end()):
            continue  # stays in the client's report: "she said Dr. Kim told her to rest"
        if not stated and _spoken_to(message[: dr.start()]):
            # stays in the text: "I will call Dr. Lopez"; "Dr. Amy Wong, cardiology" is hers
            facts.addressee = facts.addressee or _doctor(dr)
            own = _ADDRESSEE_SPECIALTY.match(message, dr.end())
            if own and facts.addressee == _doctor(dr):
                facts.addressee_specialty = read_specialty(_Text(own[0]))
                if facts.addressee_specialty:
                    text.take(own.start(), own.end())
        else:
            referrers.append((dr, stated))
    if referrers:  # the one said to be the referrer, else the first named
        dr, stated = next((r for r in referrers if r[1]), referrers[0])
        facts.physician, facts.physician_stated = _doctor(dr), stated
        text.take(dr.start(), dr.end())
    facts.specialty = read_specialty(text)
    # the physician read out of the text still cues the limits they set ("HR max 120 per Dr. Kim")
    sourced = facts.physician_stated or bool(_LIMIT_SOURCE.search(message))
    facts.limits, spans = read_limits(text.rest, referral=sourced)
    for start, end in spans:
        text.take(start, end)
    icd = _ICD.search(text.rest)
    if icd:
        facts.icd10 = icd[1].upper()
        text.take(icd.start(), icd.end())
    facts.discharge_reason = _first(_DISCHARGE, text)
    if facts.kind == "discharge-summary" and not facts.discharge_reason:
        facts.discharge_reason = _discharge_request_reason(text)
    if facts.letter_type == "clearance-request":
        reason = _first(_CLEARANCE_REASON, text) or ""
        facts.request_reason = _capital(re.sub(r"^(?:because|since|as)\s+", "", reason)) or None
    home = _first(_HOME_PROGRAM, text)
    facts.home_program = [
        {"name": _capital(part)}
        for part in (_clean(p, 120) for p in re.split(r",|\band\b|\+", home or ""))
        if re.search(r"[A-Za-z]{3}", part)
    ][:20]
    facts.diagnosis = _first(_DIAGNOSIS, text) or _intake_diagnosis(text)
    facts.goals = [g for g in _goals(text) if not _GOAL_STATUS.match(g)]
    facts.precautions = [p for p in [_first(_PRECAUTION, text)] if p] + _ordered(message, text)
    consent = _CONSENT.search(text.rest)
    if consent and not _QUESTION_OF.search(message):
        clause = re.split(r"[.;,]", text.rest[max(0, consent.start() - 30) : consent.start()])[-1]
        after = text.rest[consent.end() : consent.end() + 12]  # "... the consent form unsigned"
        facts.consent = not _NO_CONSENT.search(clause + consent[0] + after)
        text.take(consent.start(), consent.end())
    report, observed, plan = _first(_REPORT, text), _first(_OBSERVED, text), _first(_PLAN, text)

    when = read_date(text, today)
    _blank_request(text, facts)
    session: dict[str, Any] = {}
    vitals = read_vitals(text)
    rpe = _RPE.search(text.rest)
    if rpe and float(rpe[1]) <= 10:
        session["rpe"] = float(rpe[1])
        text.take(rpe.start(), rpe.end())
    elif rpe:  # a Borg 6-20 rating or a typo: the log keeps RPE on 0-10
        facts.unread.append(f"RPE {rpe[1]}")
        text.take(rpe.start(), rpe.end())
    for huge in _EXPONENT.finditer(text.rest):  # "1e309 kg": no load or count to record
        facts.unread.append(huge[0])
        text.take(huge.start(), huge.end())
    duration = None
    for m in _DURATION.finditer(text.rest):
        around = text.rest[max(0, m.start() - 12) : m.end() + 10].lower()
        if re.search(r"session|lasted|duration", around) or m[0].lower().startswith("for"):
            minutes = int(m[1]) * (60 if m[2].lower().startswith("h") else 1)
            duration = minutes
            text.take(m.start(), m.end())
            break
    exercises, assessments = read_items(text, when or today, today)
    facts.assessments = assessments
    if vitals:
        session["vitals"] = vitals
    if exercises:
        session["exercises"] = exercises
    if duration and 1 <= duration <= 600:
        session["duration_min"] = duration
    for key, value in (("client_report", report), ("observations", observed), ("plan", plan)):
        if value:
            session[key] = _capital(value)
    if session or (when and facts.kind == "session-log"):
        session["date"] = (when or today).isoformat()
    facts.session = session
    facts.leftover = _clean(_FILLER.sub(" ", text.rest))
    return facts
