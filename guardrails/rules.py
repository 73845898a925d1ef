"""Rules: precompiled patterns for emergencies, injection and clearly clinical requests.

Every pattern runs on lower-cased, normalised text (see `guardrails.normalize`). A rule only
fires when it is confident; anything else is left to the classifier.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from guardrails.decision import Category
from guardrails.normalize import Normalized

_IN_SENTENCE = r"(?:[^.?!\n]|\.\d)"


def sentence_pattern(pattern: str) -> re.Pattern[str]:
    """Compile; `{S}` stands for one character inside a sentence (a decimal point is allowed)."""
    return re.compile(pattern.replace("{S}", _IN_SENTENCE), re.DOTALL)


_rx = sentence_pattern


def _any(*parts: str) -> str:
    return "(?:" + "|".join(parts) + ")"


# ---------------------------------------------------------------- vocabulary
DRUG_SUFFIX = (
    r"[a-z]{2,}(?:pril|sartan|olol|alol|statin|formin|gliptin|gliflozin|glutide|glinide|azepam|"
    r"azolam|oxacin|cillin|mycin|cycline|prazole|tidine|dipine|semide|thiazide|parin|xaban|"
    r"gatran|profen|coxib|triptan|setron|codone|morphine|oxetine|pramine|triptyline|afil|"
    r"lukast|sonide|olone|asone|tropium|dronate|vudine|navir|ciclovir|conazole|zumab|ximab|"
    r"umab|tinib|barbital|xetine|faxine|pentin|gabalin)"
)
MED_NAMES = (
    r"metformin|insulin|lisinopril|amlodipine|atorvastatin|simvastatin|rosuvastatin|statins?|"
    r"beta[- ]?blockers?|ace inhibitors?|metoprolol|atenolol|propranolol|carvedilol|losartan|"
    r"hydrochlorothiazide|hctz|furosemide|lasix|diuretics?|water pills?|warfarin|coumadin|"
    r"eliquis|apixaban|xarelto|plavix|clopidogrel|blood thinners?|anticoagulants?|aspirin|"
    r"ibuprofen|advil|motrin|aleve|naproxen|tylenol|acetaminophen|paracetamol|nsaids?|"
    r"painkillers?|pain killers?|pain relievers?|pain meds|muscle relaxants?|prednisone|"
    r"steroids?|cortisone|corticosteroids?|nitro(?:glycerin)?|levothyroxine|synthroid|"
    r"gabapentin|lyrica|tramadol|oxycodone|hydrocodone|opioids?|glipizide|glyburide|"
    r"sulfonylureas?|ozempic|wegovy|mounjaro|semaglutide|tirzepatide|jardiance|farxiga|"
    r"januvia|trulicity|sertraline|zoloft|prozac|lexapro|antidepressants?|ssris?|"
    r"benzodiazepines?|xanax|valium|carbidopa|levodopa|sinemet|inhalers?|albuterol|"
    r"ventolin|antibiotics?|antihistamines?|benadryl|digoxin|amiodarone|nitrates?|"
    r"sleeping pills?|melatonin|viagra|sildenafil|allopurinol|colchicine|methotrexate|"
    r"humira|biologics?|bisphosphonates?|fosamax|alendronate|hormone replacement|hrt|"
    r"estrogen|testosterone|epipen|epinephrine|glucagon|lantus|humalog|novolog"
)
MED = _any(
    r"medications?",
    r"medicines?",
    r"meds",
    r"pills?",
    r"tablets?",
    r"capsules?",
    r"drugs?",
    r"prescriptions?",
    r"rx",
    MED_NAMES,
    r"\b" + DRUG_SUFFIX,
)
CONDITION = (
    r"diabet\w*|blood sugar|glucose|a1c|blood pressure|bp|hypertension|cholesterol|lipids|"
    r"arthritis|osteoarthritis|inflammation|osteoporosis|osteopenia|kidney\w*|renal|ckd|gout|"
    r"fatty liver|pcos|thyroid|hashimoto\w*|depression|anxiety|cancer|heart disease|"
    r"neuropathy|pain|migraines?|ibs|crohn\w*|colitis|celiac|anemia|fibromyalgia|parkinson\w*|"
    r"dementia|alzheimer\w*|ms|lupus|asthma|copd|insulin resistance|prediabetes|sarcopenia|"
    r"cramps|triglycerides|fatigue|tendinitis|tendonitis|healing|recovery from surgery"
)
LAB = (
    r"a1c|hba1c|labs?|lab (?:results?|work|values?|report|panel)|blood ?work|blood tests?|"
    r"blood panel|lipid panel|cholesterol (?:panel|results?|numbers?|levels?)|ldl|hdl|"
    r"triglycerides?|e?gfr|creatinine|tsh|troponin|bnp|cpk|ck levels?|potassium levels?|"
    r"hemoglobin|hematocrit|inr|psa|vitamin d levels?|ferritin|white (?:blood )?count|wbc|"
    r"crp|esr|liver enzymes|mri|mra|x-?rays?|ct(?: scan)?|cat scan|scans?|ultrasound|"
    r"sonogram|echo(?:cardiogram)?|ecg|ekg|stress test|holter|dexa|bone density|t-?score|"
    r"ejection fraction|radiology report|imaging|pet scan|angiogram|nerve conduction|emg|"
    r"biopsy|urinalysis|sed rate"
)
INJURY_SITE = (
    r"ankle|knee|back|shoulder|wrist|hamstring|calf|groin|neck|finger|thumb|toe|hip|elbow|"
    r"muscle|quad|achilles|rotator cuff|foot|hand|arm|leg|rib|something"
)
CONDITION_NOUN = (
    r"tear|torn \w+|sprain|strain|fracture|break|tendin\w+|tendon\w*|bursitis|arthritis|sciatica|"
    r"herniat\w*|bulging disc|slipped disc|impingement|neuropathy|dvt|blood clot|clot|infection|"
    r"diabetes|meniscus|acl|mcl|rotator cuff|frozen shoulder|stenosis|pinched nerve|"
    r"shin splints|plantar fasciitis|tennis elbow|golfer'?s elbow|concussion|hernia|gout|"
    r"fibromyalgia|parkinson\w*|ms|multiple sclerosis|neuroma|bunion|osteoporosis|"
    r"condition|disease|syndrome|disorder|labral tear|labrum|stress fracture"
)
PRACTICE_CONTEXT = _rx(
    r"\b(sessions?|my clients?|a client|the client|our clients?|clients?'|exercis\w*|train\w*|"
    r"workouts?|program\w*|practice|referr\w*|document\w*|session logs?|medexpros?|mes|"
    r"progress report|assessment|coach\w*|gym|reps|sets|trainer|doms|delayed onset|"
    r"overtraining|hypertrophy|soreness|cpt|billing|tier)\b"
)

# ---------------------------------------------------------------- framing
HYPOTHETICAL = _rx(
    r"\b(what (should|do|would|must|can) (i|we|you|staff|a trainer) do (if|when|in case)|"
    r"what if|if (a|my|the|your|our|any)? ?(client|patient|member|person|someone)|"
    r"when (a|my|the|your) client|in case (of|a|my)|when (should|do|would|must) (i|we|you)|"
    r"how (do|should|would|can|could) (i|we|you) (recogni[sz]e|spot|identify|handle|respond|"
    r"know|tell|prepare|screen)|(what are|which are|list) (the )?(warning )?signs|"
    r"warning signs|red flags?|signs (of|that)|symptoms of|protocols?|procedures?|"
    r"emergency (action )?plans?|policy|policies|train(ing)? (my )?staff|teach (my )?staff|"
    r"scenarios?|drills?|checklists?|document|documentation|session log|incident report|"
    r"write up|how to|for example|e\.g\.|examples?|cpr (class|course|certification)|"
    r"first aid (class|course)|would you|should i call 911 if)\b"
)
LIVE = _rx(
    r"\b(right now|just now|now|just|currently|at the moment|as we speak|still|"
    r"is (having|getting|complaining|saying|clutching|slurring|sweating|gasping|vomiting|"
    r"confused|unresponsive|not|feeling|turning|lying)|started|suddenly|"
    r"mid[- ]?(set|session|workout|rep)|during (the|our|this|today'?s|her|his) "
    r"(session|set|workout|class|warm[- ]?up|walk)|on the (bike|treadmill|floor|ground|mat)|"
    r"help|urgent|asap|hurry|minutes? ago|today|this morning|in the middle of|"
    r"he'?s|she'?s|they'?re|my client (is|has|just|collapsed|fainted))\b|!"
)
LIVE_STRONG = _rx(
    r"\b(right now|just now|as we speak|currently|at the moment|"
    r"(is|he'?s|she'?s|they'?re|he is|she is|they are) (having|complaining|clutching|slurring|"
    r"sweating|gasping|vomiting|unresponsive|not (breathing|responding)|lying)|"
    r"just (collapsed|fainted|passed out|fell|said|told|started|stopped|hit|threw up)|"
    r"help|urgent|asap|hurry|minutes? ago|in the middle of)\b|!"
)
PAST = _rx(
    r"\b(last (week|month|year|session|time|visit)|yesterday|years? ago|months? ago|"
    r"weeks? ago|history of|hx of|post[- ]|previous(ly)?|prior|in the past|recovered|"
    r"cleared|discharged|cardiac rehab|survivor|after (his|her|their|a) (heart attack|stroke))\b"
)
CONSUMER_STRONG = _rx(
    r"^\s*(what (is|are) \((is|are)\)|what is the outlook for|what to do in case of|"
    r"who should get .{1,80} and why is it prescribed|how should .{1,80} be used|"
    r"what should i do if i forget a dose|what are the side effects or risks|"
    r"do i need to see a doctor for|how to diagnose|what is the dosage of|"
    r"are there interactions between|"
    r"what (other )?information should i know about|what special (precautions|dietary)|"
    r"what should i know about storage|what to do in case of a severe reaction|"
    r"what are the genetic changes related to|how many people are affected by|"
    r"is .{1,80} inherited|what are the complications of|what are the stages of|"
    r"what research \(or clinical trials\)|where to find support for|"
    r"what causes .{1,80}\?\s*$|how to prevent .{1,80}\?\s*$|"
    r"what is the prognosis (of|for))"
)
CONSUMER_DEFINITION = _rx(
    r"^\s*(what|wat) (is|are|'s) (an? |the )?[\w'\- ]{0,50}?(disease|syndrome|disorder|itis|osis|"
    r"emia|penia|pathy|algia|oma|cancer|infection|deficiency|hypertension|hypotension|"
    r"diabetes|fibrillation|failure|sclerosis|palsy|dystrophy|stenosis|hernia|apnea|"
    r"insufficiency|aneurysm|embolism|thrombosis|angina|arrhythmia)\s*\??\s*$"
)
CONSUMER_WEAK = _rx(
    r"\b(what (are|is) the (symptoms?|signs and symptoms|treatments?|treatment options|"
    r"causes?|complications|outlook|prognosis|side effects?|risks|stages|survival rate|"
    r"life expectancy|cure|best treatment|first line treatment) (of|for)|"
    r"how (is|are) .{1,60} (diagnosed|treated|cured|inherited|prevented|managed medically)\b|"
    r"how (do|can|should) (you|i|doctors|they) (treat|cure|diagnose|test for|get rid of)|"
    r"is (there )?(a|any) cure for|is .{1,40} (contagious|curable|hereditary|genetic|"
    r"fatal|deadly|life[- ]threatening)\b|what (tests?|exams?) (are|is) (used|done|needed) "
    r"(to|for) diagnos\w*|what causes|can .{1,40} be cured|what is the life expectancy|"
    r"what'?s the (prognosis|outlook|life expectancy|survival rate)|"
    r"how long (do|does|can|will) (people|someone|patients|a person) (live|survive))"
)
PROCESS = _rx(
    r"\b((what|how) (do|should|can|would|could) (i|we) (say|respond|reply|answer|handle|"
    r"explain|word|phrase|communicate|approach|address|deal with|bring (it )?up|redirect|"
    r"refer) (to|when|if|that|this|it|back|without|about (it|this|that)|\?|$)|"
    r"(what|how) (do|should|can|would|could) (i|we) tell (her|him|them|my client|the client|"
    r"a client|clients) (that|when|if|about (it|this|that)|no|i'?m not|it'?s not|this is|\?|$)|"
    r"(right|best|proper|professional) way to (handle|respond|answer|reply|deal with)|"
    r"((a|my|the|our) )?(client|patient|member)s? (asked|asks|wants to know|keeps asking|"
    r"wanted to know) (me )?(what|whether|if|about|for|how|which)\b.{0,120}\b(how|what) "
    r"(do|should|can|would) (i|we) (respond|reply|answer|say|handle|tell)|"
    r"(when|if) (a|my|the|our)? ?(client|patient|member|"
    r"participant)s? (asks?|ask(ed|s)? me|wants? to know|brings? up|mentions?|questions?|"
    r"tells? me|says|insists|pushes|keeps asking)|how (do|should|can) i (document|record|note|"
    r"log|write up|chart) |(is (it|this|that)|it'?s|would it be) (within|outside|in|out of) "
    r"(my|our|an exercise professional'?s|the) scope|scope of practice|am i allowed to|"
    r"(can|should|may|could) (i|we|a medexpro|an mes|an exercise professional|trainers?) "
    r"(even |legally |ever )?(recommend|advise|suggest|discuss|talk about|comment on|give "
    r"advice)|what'?s my role|outside (my|our) scope|out of (my|our) lane)"
)
DEMAND = _rx(
    r"\bjust (tell|give|answer|say)\b|"
    r"\b(tell|give|show) me (whether|if|what|which|how much|the (likely|probable|right|correct|"
    r"exact)|her (likely|probable|dose)|his (likely|probable|dose)|the dose|the diagnosis)\b|"
    r"\b(dose|dosage|how much|how many (units|mg|milligrams|pills|tablets))\b{S}{0,40}"
    r"\b((should|ought to|needs to|has to|must) (she|he|they|my client|the client|the patient)|"
    r"(she|he|they) (should|ought to|needs to|has to|must)) (take|use|inject|have|get)\b"
)
CLINICAL_TOPIC = _rx(
    r"\b(" + CONDITION + r"|" + CONDITION_NOUN + r"|" + LAB + r"|swelling|swollen|numb\w*|"
    r"tingl\w*|dizz\w*|symptoms?|cause|causing|wrong with|dose|dosage)\b|" + MED
)
"""A demand for the clinical answer itself, which no 'how do I handle it' framing excuses."""
_REPORTED = _rx(r"\b(asks?|asked|asking|wants to know|wondering|wonders|question is)\b{S}{0,60}$")


def demands_answer(text: str) -> bool:
    """True when the text demands the clinical answer (not when it reports a client asking)."""
    for match in DEMAND.finditer(text):
        if not _REPORTED.search(text[max(0, match.start() - 80) : match.start()]):
            return True
    return False


ASKS_PHYSICIAN = _rx(
    r"\b(dr|doctor|physician|prescriber|gp|pcp|cardiologist|provider|surgeon|pharmacist|"
    r"specialist|endocrinologist|nephrologist|care team)\b.{0,40}\b(whether|if|about)\b"
)


@dataclass(frozen=True)
class RuleHit:
    """A rule that decided the category."""

    category: Category
    rule: str
    topic: str | None = None
    via: str | None = None

    @property
    def reason(self) -> str:
        via = f" (via {self.via})" if self.via else ""
        return f"rule:{self.rule}{via}"


# ---------------------------------------------------------------- emergency
_CHEST = _rx(
    r"\b((chest|sternum|breastbone) (pain|pains|pressure|tightness|discomfort|heaviness|"
    r"hurts?|hurting|is (tight|hurting|sore|heavy|killing)|feels (tight|heavy|like)|"
    r"squeez\w*)|(pain|pressure|tightness|discomfort|heaviness|squeezing|crushing|burning) "
    r"(in|on|across|around) (his|her|their|my|the) chest|angina|clutching (his|her|their) "
    r"chest|(having|had|is having) a heart attack|heart attack (now|right now)|"
    r"chest (is|feels) tight)"
)
_RADIATE = _rx(r"\b(arms?|jaw|neck|shoulders?|shoulder blades?|back)\b")
_CHEST_SIGNS = _rx(
    r"\b(sweat\w*|clammy|nause\w*|vomit\w*|short of breath|breathless|can'?t breathe|dizz\w*|"
    r"light-?headed|grey|gray|pale|faint\w*|collaps\w*)\b"
)
_COLLAPSE = _rx(
    r"\b(faint(ed|ing|s)?|feels faint|passed out|pass(es|ing)? out|collaps(ed|es|ing)|"
    r"blacked out|blacking out|lost consciousness|loses consciousness|unconscious|"
    r"unresponsive|not responding|non-?responsive|won'?t wake|can'?t wake|not breathing|"
    r"isn'?t breathing|stopped breathing|no pulse|seizure|seizing|convuls\w*|went limp|"
    r"dropped to the floor)\b"
)
_COLLAPSE_EXCLUDE = _rx(r"\bcollapsed lung|lung collapse|collapsed arch|arch collapse\b")
_STROKE = _rx(
    r"\b((face|mouth|smile|lip) (is |looks |seems |went |has )?(droop\w*|uneven|lopsided|"
    r"crooked|sagging|numb)|droop\w* (face|mouth|on one side|eyelid|to one side)|slurr\w*|"
    r"speech (is |sounds |became |went )?(slurred|garbled|weird|strange|off|jumbled)|"
    r"can'?t (speak|talk|get (his|her|their) words out|find (his|her|their) words|"
    r"lift (his|her|their) (arm|leg)|raise (his|her|their) arm|move (his|her|their) "
    r"(arm|leg|left|right)|see out of)|(weak|numb)(ness)? (on|in|down) (one|the (left|right)) "
    r"side|one side of (his|her|their|the) (face|body)|worst headache|thunderclap|"
    r"(is|think (she|he)('s| is)|might be|may be|could be) having a stroke|"
    r"stroke symptoms? (right )?now|sudden(ly)? .{0,30}(confus\w*|vision loss|lost vision|"
    r"blurr\w* vision|trouble (speaking|walking|seeing)|severe headache|weakness in))"
)
_BREATH_STRONG = _rx(
    r"\b((can'?t|cannot|can not|unable to|struggling to|fighting to|fighting for) "
    r"(breathe|catch (his|her|their|my) breath|get (air|a breath))|gasping|fighting for air|"
    r"(lips|face|fingers|skin) (are |is |turning |went |look )?(blue|grey|gray)|"
    r"(can'?t|unable to) (speak|talk) (in )?(full )?sentences|throat (is )?(closing|"
    r"swelling|tight)|anaphyla\w+|choking|severe(ly)? (short(ness)? of breath|breathless|"
    r"wheez\w*))\b"
)
_BREATH_WEAK = _rx(
    r"\b(trouble breathing|difficulty breathing|hard time breathing|short of breath|"
    r"shortness of breath|breathless|wheez\w+|allergic reaction|hives)\b"
)
_DIABETIC = _rx(
    r"\b(diabet\w*|insulin|glucose|blood sugar|sugar (is|was|reading|level|low|high|dropped|"
    r"crash\w*)|hypo(glyc\w*)?|type (1|2|one|two|i|ii)|t[12]dm?|a1c|metformin|low sugar|"
    r"sugars)\b"
)
_CONFUSED = _rx(
    r"\b(confus\w*|disorient\w*|not making sense|incoherent|doesn'?t know where|does not know "
    r"where|slurr\w*|combative|drowsy|can'?t (focus|think|answer)|out of it|acting (strange|"
    r"weird|drunk|odd)|not (himself|herself)|shak(y|ing) and (sweat\w*|clammy|pale)|"
    r"sweat\w* and shak\w*|clammy|unresponsive|passing out|seizure)\b"
)
_HEAD = _rx(
    r"\b((hit|bump(ed)?|bang(ed)?|struck|knocked|smacked|cracked|whacked|hits|bumps|bangs) "
    r"(his|her|their|my|the)? ?head|head (injury|trauma|knock|bump|strike)|fell .{0,30}head|"
    r"concussion|head (on|against) the (floor|bar|rack|ground|machine|wall|bench))"
)
_HEAD_SIGNS = _rx(
    r"\b(vomit\w*|threw up|throwing up|throw up|being sick|nause\w*|drows\w*|confus\w*|"
    r"unequal pupils|pupils|sleepy|can'?t stay awake|blurr\w* vision|seizure|clear fluid|"
    r"sick)\b"
)
_SUICIDE = _rx(
    r"\b(kill (my|him|her|them)sel(f|ves)|end (it all|my life|his life|her life|their life)|"
    r"suicid\w*|wants? to die|wanted to die|wish(es)? (i|she|he) (was|were) dead|"
    r"better off dead|no reason to (live|go on)|(hurt|harm|cut) (my|him|her|them)sel(f|ves)|"
    r"self[- ]harm\w*|take (my|his|her|their) own life|(not|don'?t|doesn'?t) want to (live|"
    r"be alive|be here anymore|wake up)|overdos(e|ing) on purpose)\b"
)
_BP = _rx(r"\b(\d{2,3})\s*/\s*(\d{2,3})\b")
_BP_CONTEXT = _rx(
    r"\b(bp|blood pressure|pressure|mmhg|rest\w*|reading|pre[- ]?session|before (the|our) "
    r"session|on arrival|sitting|seated|cuff|systolic|diastolic)\b"
)
_BP_SIGNS = _rx(
    r"\b(headache|blurr\w*|vision|chest|confus\w*|nosebleed|short of breath|dizz\w*|numb\w*|"
    r"nause\w*)\b"
)
_OTHER_EMERGENCY = _rx(
    r"\b(bleeding (heavily|badly|a lot|everywhere)|won'?t stop bleeding|bone (is )?(sticking|"
    r"poking) out|(can'?t|cannot) (feel|move) (his|her|their) legs|(took|swallowed|has taken|"
    r"taken) (a whole bottle|too many|an overdose|all (of )?(his|her|their) pills)|"
    r"overdosed|call(ing)? (911|999|112|an ambulance|ems|emergency services)|"
    r"ambulance|heart (is )?(racing|pounding) .{0,30}(won'?t|not) (slow|stop)|"
    r"heart rate (won'?t|isn'?t|is not) (coming|going) down)\b"
)
_FOREIGN_EMERGENCY = _rx(
    r"(dolor (en el|de|del) pecho|se desmay\w*|no respira|infarto|derrame cerebral|"
    r"douleur (à la|a la|thoracique|dans la) poitrine|s'est évanoui|ne respire|"
    r"brustschmerz\w*|ohnmächtig|bewusstlos|atmet nicht|herzinfarkt|schlaganfall|"
    r"perso conoscenza|non risponde|svenut\w*|dolore al petto)"
)


def _bp_emergency(text: str) -> bool:
    if not _BP_CONTEXT.search(text):
        return False
    for match in _BP.finditer(text):
        systolic, diastolic = int(match.group(1)), int(match.group(2))
        if not (70 <= systolic <= 300 and 30 <= diastolic <= 200 and systolic > diastolic):
            continue
        if systolic >= 200 or diastolic >= 120 or (systolic >= 180 and diastolic >= 110):
            return True
        if (systolic >= 180 or diastolic >= 110) and _BP_SIGNS.search(text):
            return True
    return False


def emergency_rule(text: str) -> str | None:
    """Name of the emergency rule that fires on `text`, if any."""
    if CONSUMER_STRONG.search(text) or (
        CONSUMER_WEAK.search(text) and not PRACTICE_CONTEXT.search(text)
    ):
        return None
    live = bool(LIVE.search(text))
    if HYPOTHETICAL.search(text) and not LIVE_STRONG.search(text):
        return None
    if _SUICIDE.search(text):
        return "emergency.suicidal_statement"
    if _FOREIGN_EMERGENCY.search(text):
        return "emergency.other_language"
    if PAST.search(text) and not LIVE_STRONG.search(text):
        return None
    if _CHEST.search(text) and (live or _RADIATE.search(text) or _CHEST_SIGNS.search(text)):
        return "emergency.chest_pain"
    if _COLLAPSE.search(text) and not _COLLAPSE_EXCLUDE.search(text):
        return "emergency.collapse"
    if _STROKE.search(text):
        return "emergency.stroke_signs"
    if _BREATH_STRONG.search(text) or (_BREATH_WEAK.search(text) and live):
        return "emergency.breathing"
    if _DIABETIC.search(text) and _CONFUSED.search(text):
        return "emergency.diabetic_confusion"
    if _HEAD.search(text) and _HEAD_SIGNS.search(text):
        return "emergency.head_injury"
    if _bp_emergency(text):
        return "emergency.very_high_bp"
    if _OTHER_EMERGENCY.search(text):
        return "emergency.other"
    return None


# ---------------------------------------------------------------- injection
_STRONG_RULE_NOUN = (
    r"(instructions?|rules?|prompts?|guidelines?|directions?|directives?|policy|policies|"
    r"constraints?|restrictions?|guardrails?|programming|filters?|safeguards?|"
    r"system message|training|scope rules?|limitations?)"
)
INJECTION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "injection.override",
        _rx(
            r"\b(ignore|disregard|forget|override|bypass|skip|drop|abandon|discard|erase|"
            r"suspend|turn off|disable|deactivate|set aside|break|violate|neglect)\b"
            r"{S}{0,40}\b(previous|prior|preceding|above|earlier|all|your|the|any|these|"
            r"those|system|original|initial|safety|scope|every|my|its|existing|current|old)\b"
            r"{S}{0,30}\b" + _STRONG_RULE_NOUN
        ),
    ),
    (
        "injection.override",
        _rx(
            r"\bforget (everything|all|whatever) (you('ve| have)? (were|been) told|you know|above|"
            r"before)\b|"
            r"\b(ignore|disregard|forget|bypass|override)\b {S}{0,15}\b(your|the system'?s?|"
            r"all) (limits|scope|settings|context|protocols?|guard|safety|restrictions)\b|"
            r"\b(no longer|not) (bound|restricted|limited|constrained) by\b|"
            r"\bwithout (any )?(restrictions|limits|filters|rules|guardrails|censorship)\b|"
            r"\b(new|updated|real|actual|true) (instructions|rules|system prompt)\s*(:|are|is)|"
            r"\bwith no (rules|restrictions|limits|filters|guardrails|restraints)\b|"
            r"\b(approved|authori[sz]ed|allowed|permitted|cleared) (you )?to (give|provide|"
            r"answer|offer|share) (medical|medication|clinical|dosing|diagnos\w*|drug)"
        ),
    ),
    (
        "injection.role_play",
        _rx(
            r"\b(pretend|act|roleplay|role-play|role play|imagine|behave|respond|answer|speak|"
            r"reply|talk|play)\b{S}{0,25}\b(as|like|to be|you are|you'?re|you were|"
            r"the role of)\b{S}{0,15}\b(doctor|physician|md|gp|pharmacist|nurse|"
            r"nurse practitioner|cardiologist|endocrinologist|clinician|physical therapist|"
            r"physiotherapist|psychiatrist|psychologist|therapist|dietitian|dietician|"
            r"nutritionist|medical professional|surgeon|chiropractor|neurologist|"
            r"orthopedist|medical doctor|prescriber|radiologist|medical expert|healthcare "
            r"provider)s?\b"
        ),
    ),
    (
        "injection.role_play",
        _rx(
            r"\byou (are|'re|will be|will act as|shall be|are going to be) (now |no longer |"
            r"from now on |hereby |actually )?(a |an |my |the )?(doctor|physician|md|gp|"
            r"pharmacist|nurse|cardiologist|clinician|physical therapist|psychiatrist|"
            r"therapist|psychologist|dietitian|nutritionist|surgeon|"
            r"dan|unrestricted|unfiltered|jailbroken|uncensored|different ai|new ai|evil|"
            r"free from|not bound|not an? (assistant|ai)|no longer an? (assistant|ai))\b|"
            r"\bfrom now on,? (you|act|respond|answer|reply|pretend)\b|\byou are no longer\b|"
            r"\bif you were (a|an|my|her|his) (doctor|physician|pharmacist|nurse|clinician|"
            r"therapist|cardiologist|surgeon|dietitian)\b|"
            r"\bforget (that )?you('re| are) (an?|the|just)\b|"
            r"\b(classify|label|mark|categori[sz]e|treat) (this|the|my) (message|request|"
            r"question|prompt|input) as\b|\bcategory:? ?(=|is)? ?in_scope\b|"
            r"\byour new (role|name|persona|identity|job) is\b|\bstay in character\b"
        ),
    ),
    (
        "injection.prompt_extraction",
        _rx(
            r"\b(system|initial|hidden|original|developer|secret|internal|pre-?)[ -]?(prompt|"
            r"instructions|message|directives|configuration)\b|"
            r"\b(print|show|reveal|repeat|output|display|tell me|give me|list|leak|dump|share|"
            r"paste|recite|spell out|copy|what (is|are|were))\b{S}{0,20}\b(your|the)\b"
            r"{S}{0,15}\b(prompt|instructions|rules you|guardrails|configuration|"
            r"programming|initial message|hidden rules|rules verbatim|guidelines verbatim)\b|"
            r"\brepeat (everything|all|the (text|words|message)s?) (above|before|prior)|"
            r"\bwhat were you told\b|\b(print|show|repeat|output|recite|list) (the |your )?"
            r"(first|last) \d+ (words|lines|characters|tokens|sentences)\b|"
            r"\b(print|dump|show|output|display) (your |the )?(config|configuration|env|"
            r"environment variables|settings file)\b|^debug\s*:|"
            r"\b(verbatim|word for word)\b{S}{0,30}"
            r"\b(instructions|prompt|rules)\b|\bwhat (are|were) your (rules|instructions)\b"
        ),
    ),
    (
        "injection.mode_switch",
        _rx(
            r"\b(debug|developer|dev|god|admin|administrator|maintenance|root|sudo|"
            r"unrestricted|jailbreak|jailbroken|dan|diagnostic|unsafe|uncensored|"
            r"unfiltered|override|test|expert|doctor|clinician|no[- ]limits?) mode\b|"
            r"\bdo anything now\b|\bjailbr(eak|oken)\w*|\bsudo\b|\bsafety (off|disabled)\b|"
            r"\b(turn|switch) off (the |your )?(guard\w*|filters?|safety|scope (check|guard))"
        ),
    ),
    (
        "injection.false_authority",
        _rx(
            r"\b(i am|i'm|this is) (the |your |an? )?(developer|admin|administrator|creator|"
            r"owner|system administrator|sysadmin|programmer|openai|anthropic|mes ai team|"
            r"support team|system)\b|\b(admin|system|developer|root) (override|command|"
            r"notice|instruction)s?\b|\b(authori[sz]ation|override|access) code\b|"
            r"\b(you have been|you are) (authori[sz]ed|cleared|permitted|allowed) to "
            r"(ignore|bypass|give|prescribe|diagnose|answer)"
        ),
    ),
    (
        "injection.delimiters",
        _rx(
            r"<\|?(im_start|im_end|system|endoftext)\|?>|\[/?inst\]|<</?sys>>|"
            r"(^|\n)\s*(system|assistant)\s*:|###\s*(system|instruction|new instructions)|"
            r"\bnew instructions\s*:|\bend of (system )?(prompt|instructions)\b|"
            r"\bbegin (new )?(system|instructions)\b|</?system>|\]\]>|<!--.*?(assistant|ai|"
            r"instruction)"
        ),
    ),
    (
        "injection.decode_and_follow",
        _rx(
            r"\b(decode|decrypt|translate|convert|unscramble|reverse|rot13|base64)\b"
            r"{S}{0,50}\b(and|then)\b{S}{0,20}\b(follow|execute|obey|do what|run|"
            r"comply|act on|carry out|do it)\b"
        ),
    ),
    (
        "injection.no_refusal",
        _rx(
            r"\b(without|no|skip( the)?|don'?t (give|add|include)( me)?( any)?|stop (giving|"
            r"adding)|leave out( the)?)\b{S}{0,15}\b(disclaimers?|warnings?|refusals?|"
            r"caveats?|redirects?|safety (notes|messages)|moraliz\w+|lectures?)\b|"
            r"\b(don'?t|do not|never|you can'?t|you may not|you must not) (refuse|decline|"
            r"redirect|say no|tell me to (ask|see|consult|check with|talk to))|"
            r"\byou (must|have to|will|shall) (answer|comply|obey)\b"
        ),
    ),
)
_FICTION = _rx(
    r"\b(story|stories|poem|novel|screenplay|script|scene|dialogue|fiction\w*|song|roleplay|"
    r"role-play|imaginary|make-believe|character|rap|limerick|haiku|bedtime|"
    r"in a world where|let'?s play|game where|grandma|grandmother|for a book)\b"
)
_FICTION_CLINICAL = _rx(
    r"\b(doses?|dosages?|dosing|mg|milligrams?|medications?|prescri\w+|insulin|metformin|"
    r"diagnos\w+|inject\w*|pills?|drugs?|opioids?|overdose|treatment for|units of|"
    r"how much .{0,20}take)\b"
)


_SQUASHED = _rx(
    r"(ignore|disregard|forget|bypass)(all|your|the|any|previous|prior|above|my)*"
    r"(instructions?|rules|prompts?|guidelines|restrictions)|systemprompt|developermode|"
    r"debugmode|godmode|jailbreak|doanythingnow"
)
_NON_LETTERS = re.compile(r"[^a-z]+")


def injection_rule(text: str) -> str | None:
    """Name of the injection rule that fires on `text`, if any."""
    for name, pattern in INJECTION_PATTERNS:
        if pattern.search(text):
            return name
    if _SQUASHED.search(_NON_LETTERS.sub("", text)):
        return "injection.obfuscated_keywords"
    if _FICTION.search(text) and _FICTION_CLINICAL.search(text):
        return "injection.fiction_wrapper"
    return None


# ---------------------------------------------------------------- clinical
_NOT_EXERCISE_DOSE = (
    r"(?! of (exercise|training|activity|cardio|walking|aerobic|resistance|strength|physical|"
    r"movement|volume|intensity|work|stretching|balance|practice))"
)
_NOT_EXERCISE = (
    r"(?:(?!\bsince\b|\bbecause\b|\bwho\b|\bwhile\b|\binstead\b|\brpe\b|heart rate|"
    r"\bzones?\b|\bhr\b|\bclients?\b|talk test|\bscale\b){S})"
)
CLINICAL_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    (
        "clinical.medication_change",
        "medication",
        _rx(
            r"\b(raise|raising|increase|increasing|up|bump(ing)? up|lower|lowering|decrease|"
            r"decreasing|reduce|reducing|cut(ting)?( back| down)?( on)?|change|changing|adjust|"
            r"adjusting|stop|stopping|discontinue|double|doubling|halve|halving|switch|"
            r"switching|start|starting|add|adding|prescribe|prescribing|titrate|taper|"
            r"tapering|come off|coming off|go off|get off|wean|hold|skip|skipping|drop|"
            r"take (her|him|them) off|put (her|him|them) on|go back on|stay on|keep taking)\b "
            r"(her|his|their|the|my|your|a|an|client'?s|some|any|on)? ?(\w+ ){0,2}?" + MED + r"\b|"
            r"\b(change|changing|adjust|adjusting|raise|lower|increase|decrease|reduce|double|"
            r"halve|cut) (her|his|their|the|my|your) (dose|dosage|dosing)\b|"
            r"\b(no longer needs?|doesn'?t need|does not need|don'?t need|can (stop|come off|"
            r"drop)) (his|her|their|my)? ?(\w+ ){0,2}" + MED + r"\b|"
            r"\b(ask|asking|switch|switching|change) (for|to) (a |an )?(different|another|new|"
            r"stronger|weaker|better) (\w+ )?(" + MED + r")\b"
        ),
    ),
    (
        "clinical.medication_advice",
        "medication",
        _rx(
            r"\b(should|can|could|may|must|does|do|would|is it (ok|okay|safe|fine|alright|better|"
            r"best) (for|to)|would it be (ok|okay|safe|better)|when should|how (should|does))\b "
            r"(she|he|they|i|we|my client|the client|the patient|you|her|him|them)? ?(still |"
            r"just |safely |also |even )?(take|takes|taking|skip|skipping|miss|stop|start|"
            r"keep taking|continue( taking)?|stay on|go back on|restart|resume|be on|go on|get on|"
            r"increase|decrease|double|halve|raise|lower|reduce|adjust|change|switch|hold|"
            r"split|crush|inject|use|have|come off|go off|cut back|cut down|give)\b"
            + _NOT_EXERCISE
            + r"{0,40}\b"
            + MED
            + r"\b|"
            r"\b(what|which)( kind of| type of| sort of)? (\w+ )?"
            + MED
            + r"\b{S}{0,20}\b(works?|is|are|would be|do you recommend)( the)? (best|better|"
            r"safest|good|right|recommended)\b"
        ),
    ),
    (
        "clinical.dosing",
        "medication",
        _rx(
            r"\bhow (much|many)\b{S}{0,40}\b(" + MED + r"|mg|units|milligrams|puffs|mcg)"
            r"\b{S}{0,40}\b(take|have|give|inject|use|need|safe)\b|"
            r"\b(what|which|right|correct|max(imum)?|safe|usual|normal|typical|starting|"
            r"recommended|proper|daily|lethal) (dose|dosage|dosing)\b" + _NOT_EXERCISE_DOSE + "|"
            r"\b(dose|dosage|dosing) (of|for) (" + MED + r"|\w+ (pills?|tablets?))\b|"
            r"\b\d+(\.\d+)? ?(mg|mcg|milligrams?|units) (of )?(" + MED + r")?\b{S}{0,40}"
            r"\b(enough|ok|okay|safe|right|too much|too little|should|can)\b|"
            r"\bforget (a|her|his|my) dose\b|\bmissed (a|her|his|my) dose\b|"
            r"\bhow (much|many) (\w+ ){0,2}(mg|units|puffs|tablets|pills|mcg|milligrams|doses|"
            r"capsules)\b|\bhow (much|many) (\w+ )?(" + MED + r")\b|"
            r"\bcu[aá]nt[ao]s?\b.{0,30}\b(debe|puede|tiene que) tomar|\b(metformina|insulina)\b|"
            r"\b(quelle dose|qu[eé] dosis|welche dosis|dose d'|insuline|m[eé]dicaments?)\b|"
            r"\b(dosis|dosificaci[oó]n|posolog\w+|dosierung|medicamento|m[eé]dicament|"
            r"medikament|pastilla)\b"
        ),
    ),
    (
        "clinical.medication_choice",
        "medication",
        _rx(
            r"\b(what|which)\b (\w+ ){0,2}(medications?|medicines?|meds|pills?|painkillers?|"
            r"pain killers?|pain relievers?|drugs?|antibiotics?|anti-?inflammator\w*|creams?|"
            r"ointments?|inhalers?|otc)\b{S}{0,30}\b(should|can|could|would|do you "
            r"recommend|is best|are best|works? best|to take|to give|to use|for (her|his|my|"
            r"the|a))\b|\b(side[- ]?effects?|interact(ions?|s)? (with|between))\b{S}{0,40}"
            r"\b" + MED + r"\b|\b" + MED + r"\b{S}{0,40}\bside[- ]?effects?\b|"
            r"\bmix(ing)? \w+ (with|and) (alcohol|" + MED + r")\b"
        ),
    ),
    (
        "clinical.diagnosis",
        "diagnosis",
        _rx(
            r"\b(can|could|would|will) you (please )?(help (me )?)?(diagnos\w*|tell (me )?what "
            r"(is wrong|she has|he has|they have|it is|this is|that is))|"
            r"\b(help me|how (do|can|should) i|i need to|i want to|should i|can i|let'?s|please"
            r"|try to) diagnos\w*|"
            r"\b(what|which)('s| is| would be| could be| might be)? (the |her |his |a |their )?"
            r"(likely |probable |possible |most likely )?(diagnosis|dx)\b|"
            r"\bwhat (condition|disease|injury|problem|issue) (does|do|could|might|would) (she|"
            r"he|they|it|this|my client|the client|i) (have|has|be)\b|"
            r"\bwhat (is|'s|could be|might be|would be) (causing|wrong with|behind|the cause of|"
            r"the reason for)\b|\bwhat(?:'s| is) going on with (her|his|their|my)\b|"
            r"\b(does|do|could|would|might|can) (this|that|it|these|those|her symptoms|his "
            r"symptoms) (sound|look|seem|be)s? like\b|"
            r"\bsounds? like (a |an )?(\w+ ){0,2}(" + CONDITION_NOUN + r")\b{S}{0,20}\?|"
            r"\bis (it|this|that) (a |an )?(likely |probably |maybe )?("
            + CONDITION_NOUN
            + r"|serious|something serious)\b|"
            r"\b(do|does|could|might|would) (she|he|they|my client|the client|i) (have|has) "
            r"(a |an )?(\w+ ){0,2}(" + CONDITION_NOUN + r")\b|"
            r"\bwhy (does|is|would|do|did) (her|his|their|my|the client'?s|my client'?s) "
            r"(\w+ ){0,2}(hurt|hurting|ache|aching|swell|swollen|swelling|go numb|numb|"
            r"tingl\w*|click\w*|pop\w*|burn\w*|throb\w*|keep (hurting|swelling|locking))\b|"
            r"\bdiagn[oó]stic\w*\b|\bdiagnos(e|es|ed|ing|is) (it|this|that|her|him|them|my)\b|"
            r"\b(i think|i believe|i suspect|probably|likely|maybe) (she|he|they|the client|my "
            r"client|it) (has|have|is suffering from|is|'s) (a |an )?(\w+ ){0,2}("
            + CONDITION_NOUN
            + r")\b|\b(is|are) caused by (a |an )?(\w+ ){0,2}("
            + CONDITION_NOUN
            + r")\b|"
            r"\bis (it|this|that) (my|her|his|their) (\w+ ){0,2}(sugar|thyroid|heart|blood "
            r"pressure|bp|meds|medications?|hormones|kidneys?|liver|nerves?|arthritis)\b|"
            r"\bshould (i|she|he|they|we) (be )?(worr\w*|concerned)\b{S}{0,40}$|"
            r"\b(pain|tight\w*|swell\w*|numb\w*|dizz\w*|tired|fatigue|lump|rash|cough\w*|"
            r"headaches?|bleed\w*|bruis\w*|breath\w*)\b{S}{0,60}\bshould (i|she|he|they|we) "
            r"(be )?(worr\w*|concerned)\b|"
            r"\bqu[eé] (le pasa|tiene)\b"
        ),
    ),
    (
        "clinical.labs_imaging",
        "labs",
        _rx(
            r"\b(interpret|read|explain|look at|review|analy[sz]e|make sense of|decode|"
            r"understand|go over|what do you make of|translate)\b{S}{0,40}\b(" + LAB + r")\b|"
            r"\b(" + LAB + r")\b{S}{0,50}(?:\b(mean|means|meaning|normal|abnormal|high|low|"
            r"elevated|bad|good|okay|ok|concerning|worrying|dangerous|indicates?|shows?|showed|"
            r"showing|says|said|came back|results?|reading)\b|of -?\d){S}{0,60}\b(should|can|"
            r"could|is (it|that|this)|does (it|that|this)|mean|safe|okay|ok|worried|concern\w*|"
            r"serious|bad)\b|"
            r"\bwhat (does|do|would|could) (a |an |her |his |the |this |that |these |my )?"
            r"(\w+ ){0,2}"
            r"(" + LAB + r")\b{S}{0,30}\b(mean|indicate|suggest|show|tell)\b|"
            r"\b(what'?s|what is|what are) (a )?(normal|healthy|good|dangerous|high|low|safe) "
            r"(" + LAB + r")\b|"
            r"\b(what'?s|what is|what are) (a |the )?(normal|healthy|good|dangerous|high|low|safe|"
            r"target|ideal) (range|level|value|number|reading)s? (for|of) (an? |her |his )?"
            r"(" + LAB + r")\b"
        ),
    ),
    (
        "clinical.treatment",
        "treatment",
        _rx(
            r"\bhow (do|should|can|would|to|could) (i |we |you |she |he )?(treat|cure|heal|"
            r"get rid of|reverse)\b(?! (clients|my clients|a client who|customers|staff|"
            r"referral|people with respect|them (well|fairly)))|"
            r"\b(best|what|which) (treatment|cure|remedy|remedies|home remed\w+)\b|"
            r"\bwhat (would|do|does|should|might|will) (a|the|her|his|your|my) (doctor|physician|"
            r"gp|pharmacist|specialist|surgeon|cardiologist) (prescribe|recommend for|give (her|"
            r"him|them)|suggest for|do for)\b|"
            r"\b(treat|cure|heal|reverse) (her|his|their|my client'?s|the client'?s|a|an) "
            r"(\w+ ){0,2}(" + CONDITION_NOUN + r"|pain|injury|wound|infection|" + CONDITION + r")\b"
        ),
    ),
    (
        "clinical.acute_injury",
        "acute_injury",
        _rx(
            r"\b(should|can|do|shall|must) (i|we|she|he|they) (ice|heat|wrap|tape|brace|splint|"
            r"elevate|compress|massage|rub|soak|immobili[sz]e|put (ice|heat|"
            r"something|a (brace|wrap|bandage))|give (her|him|them) (something|ibuprofen|"
            r"advil|tylenol|aspirin))\b|"
            r"\bhow (do|should|can|would) (i|we|you) (care for|nurse|ice|wrap|tape) \b|"
            r"\b(rolled|sprained|twisted|pulled|strained|tweaked|hurt|injured|tore|jammed|"
            r"dislocated|bruised|banged|cut|burned|broke|fractured|stubbed)\b{S}{0,60}\bwhat "
            r"(should|can|do) (i|we) (do|give|put on|use) (for|about|on) (it|this|that|her|him)\b|"
            r"\b(ice or heat|heat or ice|rice protocol|r\.i\.c\.e|first aid for|how long "
            r"(to|should (i|she|he|we)) ice)\b|"
            r"\bwhat (should|can|do) (i|we) (do|put|give|use) (for|on) (it|the|her|his|a|this)"
            r"\b{S}{0,25}\b(sprain|strain|swelling|bruise|cut|cramp|pain|injury|knee|ankle"
            r"|back|shoulder|blister|burn|wound)\b"
        ),
    ),
    (
        "clinical.nutrition",
        "nutrition",
        _rx(
            r"\b(meal plans?|diet plans?|eating plans?|diets?|menus?|supplements?|"
            r"supplementation|vitamins?|minerals?|protein powder|creatine|fish oil|omega[- ]?3s?|"
            r"magnesium|turmeric|curcumin|glucosamine|chondroitin|collagen|keto(genic)?|"
            r"intermittent fasting|cinnamon|berberine|apple cider vinegar|herbs?|herbal|"
            r"potassium|iron|calcium|zinc|b12|vitamin [a-z0-9]+|probiotics?|cleanses?|detox)\b"
            r"{S}{0,60}\b(treat|cure|reverse|lower|reduce|control|manage|"
            r"fix|heal|help with|get off|come off|replace|bring down|regulate|prevent|beat|"
            r"fight|for)\b{S}{0,40}\b(" + CONDITION + r"|" + MED + r")\b|"
            r"\b(write|create|design|make|give|build|plan|put together|draft|need|want) (me |her |"
            r"him |them )?(a |an )?(\w+ )?(meal plan|diet|eating plan|nutrition plan|menu|"
            r"supplement (plan|protocol|stack|regimen))\b|"
            r"\b(which|what) (supplements?|vitamins?|herbs?|minerals?)\b{S}{0,30}"
            r"\b(should|can|could|would|do you recommend|are best|is best|help)\b|"
            r"\b(should|can|could) (she|he|they|my client|the client|i) (take|try|use|start) "
            r"(\w+ ){0,2}(supplements?|vitamins?|magnesium|fish oil|creatine|turmeric|"
            r"glucosamine|collagen|berberine|iron|calcium|zinc|b12|probiotics?)\b"
        ),
    ),
    (
        "clinical.manual_therapy",
        "manual_therapy",
        _rx(
            r"\b(i|we|me|myself|you)\b{S}{0,30}\b(joint mobili[sz]\w*|mobili[sz]e (her|his|"
            r"their|the) (joint|spine|knee|hip|shoulder|ankle|wrist|neck|back|si|patella)|"
            r"grade (i|ii|iii|iv|v|1|2|3|4|5) mobili[sz]\w*|manipulat\w* (her|his|their|the) "
            r"(spine|back|neck|joint|hip|si)|spinal manipulation|adjust (her|his|their|the) "
            r"(spine|back|neck|hip|pelvis|si joint|atlas|ribs?|vertebra\w*)|crack (her|his|"
            r"their) (back|neck)|pop (her|his|their) (back|neck|hip|shoulder)|dry[- ]?needl\w*|"
            r"cupping|deep tissue massage|massage (her|his|their|the client'?s) \w+|"
            r"trigger point (therapy|release|injection)s?|instrument[- ]assisted|graston|"
            r"iastm|kinesio ?tap\w*|kt tape|tape (her|his|their) (knee|ankle|shoulder|back|"
            r"wrist)|traction|tens( unit| machine)?|e-?stim|electrical (muscle )?stim\w*|"
            r"therapeutic ultrasound|ultrasound (therapy|machine|on)|cold laser|laser therapy|"
            r"shockwave|diathermy|interferential|iontophoresis|cryotherapy|myofascial release "
            r"(on|of|for) (her|his|the))|"
            r"\b(tens|e-?stim|electrical stim\w*|therapeutic ultrasound|cold laser|laser|shockwave|"
            r"interferential)\b{S}{0,30}\b(settings?|parameters|frequency|intensity|hz|"
            r"placement|pads?)\b|\b(settings?|parameters|frequency|placement)\b{S}{0,30}"
            r"\b(tens|e-?stim|cold laser|shockwave|interferential)\b"
        ),
    ),
    (
        "clinical.mental_health",
        "mental_health",
        _rx(
            r"\b(counsel\w*|talk therapy|cbt|therapy for|treat|help (her|him|them) (with|"
            r"through|overcome)|manage|fix)\b{S}{0,30}\b(depression|anxiety|ptsd|trauma|"
            r"eating disorder|anorexia|bulimia|grief|griev\w*|panic attacks?|ocd|bipolar|"
            r"addiction)\b|\bcounsel(l)?ing (plan|sessions?|techniques?|approach|strateg\w+)\b"
        ),
    ),
)


def _exempt(text: str, rule: str, start: int) -> bool:
    """Process questions about handling a clinical topic are in scope, unless they demand the
    clinical answer too ("...? Just tell me the likely cause.")."""
    if PROCESS.search(text) and not demands_answer(text):
        return True
    if rule.startswith("clinical.medication") or rule == "clinical.dosing":
        before = text[max(0, start - 60) : start]
        if ASKS_PHYSICIAN.search(before):
            return True
    return False


def clinical_rule(text: str) -> tuple[str, str] | None:
    """(rule, topic) of the clinical rule that fires on `text`, if any."""
    if CONSUMER_STRONG.search(text) or CONSUMER_DEFINITION.search(text):
        return "clinical.health_question", "general"
    if CONSUMER_WEAK.search(text) and not PRACTICE_CONTEXT.search(text):
        return "clinical.health_question", "general"
    for name, topic, pattern in CLINICAL_PATTERNS:
        match = pattern.search(text)
        if match and not _exempt(text, name, match.start()):
            return name, topic
    return None


def _first(
    texts: Iterable[tuple[str, str | None]],
    category: Category,
    check: Callable[[str], str | tuple[str, str] | None],
) -> RuleHit | None:
    for text, via in texts:
        found = check(text)
        if found:
            rule, topic = found if isinstance(found, tuple) else (found, None)
            return RuleHit(category, rule, topic, via)
    return None


def demand_rule(text: str) -> tuple[str, str] | None:
    """A demand for the clinical answer wrapped in a 'how do I handle it' question."""
    if PROCESS.search(text) and demands_answer(text) and CLINICAL_TOPIC.search(text):
        return "clinical.demand_behind_process_question", "general"
    return None


def match_rules(normalized: Normalized) -> RuleHit | None:
    """The first rule that fires: emergency, then injection, then clinical."""
    tricks = [
        t
        for t in normalized.tricks
        if t not in ("base64", "hex", "rot13", "url-encoding", "unicode-tags")
    ]
    payload_tricks = [t for t in normalized.tricks if t not in tricks]
    via_variant = ", ".join(tricks) or None
    texts: list[tuple[str, str | None]] = [
        (v, None if i == 0 else via_variant) for i, v in enumerate(normalized.variants)
    ]
    texts += [
        (p, payload_tricks[i] if i < len(payload_tricks) else "payload")
        for i, p in enumerate(normalized.payloads)
    ]
    return (
        _first(texts, Category.EMERGENCY, emergency_rule)
        or _first(texts, Category.PROMPT_INJECTION, injection_rule)
        or _first(texts, Category.CLINICAL_ADVICE, clinical_rule)
        or _first(texts, Category.CLINICAL_ADVICE, demand_rule)
    )
