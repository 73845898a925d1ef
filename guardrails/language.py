"""Is a message in a language other than English? Script and stop-word heuristics, no model.

The embedder and the rules read English; a message in another language is answered that the
assistant works in English (after the emergency rails have had their look at it).
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_SCRIPTS = (
    ("CYRILLIC", "Russian or another Cyrillic-script language"),
    ("ARABIC", "Arabic-script language"),
    ("HEBREW", "Hebrew"),
    ("GREEK", "Greek"),
    ("DEVANAGARI", "Hindi or another Devanagari-script language"),
    ("CJK", "Chinese or Japanese"),
    ("HIRAGANA", "Japanese"),
    ("KATAKANA", "Japanese"),
    ("HANGUL", "Korean"),
    ("THAI", "Thai"),
    ("BENGALI", "Bengali"),
    ("TAMIL", "Tamil"),
    ("GURMUKHI", "Punjabi"),
    ("GUJARATI", "Gujarati"),
    ("ARMENIAN", "Armenian"),
    ("GEORGIAN", "Georgian"),
    ("ETHIOPIC", "Amharic"),
)
_ENGLISH = frozenset(
    "the a an and or but of to in on at for with from by is are was were be been am do does did "
    "have has had i you he she it we they my your her his their our me him them this that these "
    "those what which who how when where why can could should would will shall may might must "
    "not no yes if so as about after before than then there here just also very out up down "
    "into over under again more most some any all each her's client clients session sessions "
    "doctor physician exercise pain knee hip back heart her please thanks ok okay good name time "
    "write explain give tell make get new like need want know one two week day".split()
)
_OTHER: dict[str, frozenset[str]] = {
    "Spanish": frozenset(
        "el la los las un una unos unas y o pero de del al en con por para es son está están "
        "estoy tengo tiene mi mis su sus qué que cómo como cuándo dónde puede puedo debe hacer "
        "muy más sin sobre ya le lo se me te nos cliente clienta dolor pecho rodilla ejercicio "
        "médico cuánto cuánta hoy ahora".split()
    ),
    "French": frozenset(
        "le la les un une des et ou mais de du au aux en avec pour par est sont suis j'ai ai a "
        "mon ma mes son sa ses ce cette qui que quoi comment quand où peut peux doit faire très "
        "plus sans sur dans il elle ils elles nous vous je ne pas client cliente douleur "
        "poitrine genou exercice médecin aujourd'hui maintenant quelle quel dois".split()
    ),
    "German": frozenset(
        "der die das ein eine einen und oder aber von zu im in an mit für auf ist sind bin hat "
        "habe mein meine sein seine ihr ihre was wie wann wo kann können soll muss machen sehr "
        "mehr ohne nicht kein keine ich er sie es wir auch schon noch klient klientin schmerzen "
        "brust knie übung arzt heute jetzt".split()
    ),
    "Italian": frozenset(
        "il lo la i gli le un una e o ma di del della al in con per è sono ho ha mio mia suo sua "
        "che cosa come quando dove può posso deve fare molto più senza su non cliente dolore "
        "petto ginocchio esercizio medico oggi adesso ora quanto quanta".split()
    ),
    "Portuguese": frozenset(
        "o a os as um uma e ou mas de do da dos das no na em com por para é são está estou tenho "
        "tem meu minha seu sua que como quando onde pode posso deve fazer muito mais sem não "
        "cliente dor peito joelho exercício médico hoje agora quanto quanta ele ela".split()
    ),
    "Dutch": frozenset(
        "de het een en of maar van te in op met voor is zijn ben heb heeft mijn zijn haar wat "
        "hoe wanneer waar kan moet doen zeer meer zonder niet geen ik hij zij wij ook klant pijn "
        "borst knie oefening arts vandaag nu".split()
    ),
}
_ACCENTED = re.compile(r"[ñçãõßäöüàèìòùâêîôûœ¿¡áéíóú]")


def _script(ch: str) -> str | None:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    for script, _ in _SCRIPTS:
        if name.startswith(script):
            return script
    return None


def detect_non_english(text: str) -> str | None:
    """The language (or script) of `text` when it is not English, else None."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 4:
        return None
    counts: dict[str, int] = {}
    for ch in letters:
        if ord(ch) > 0x24F:
            script = _script(ch)
            if script:
                counts[script] = counts.get(script, 0) + 1
    if counts:
        script, count = max(counts.items(), key=lambda item: item[1])
        if count >= 0.3 * len(letters):
            return dict(_SCRIPTS)[script]
    words = [w.lower() for w in _WORD.findall(text) if len(w) > 1]
    if len(words) < 3:
        return None
    scores = {
        lang: sum(w in vocab and w not in _ENGLISH for w in words) for lang, vocab in _OTHER.items()
    }
    language, best = max(scores.items(), key=lambda item: item[1])
    english = sum(
        (w in _ENGLISH and w not in _OTHER[language]) or w.endswith(("'s", "'re", "'ll", "n't"))
        for w in words
    )
    accents = len(_ACCENTED.findall(text.lower()))
    weighted = best + min(accents, 3) * 0.5
    if weighted >= 2 and weighted > english and weighted >= 0.25 * len(words):
        return language
    return None
