"""Is a message in a language other than English? Script and stop-word heuristics, no model.

The embedder and the rules read English; a message in another language is answered that the
assistant works in English (after the emergency rails have had their look at it).

Two tests, both linear in the length of the message:

* script: a message mostly written in a non-Latin script (Cyrillic, Arabic, Greek, Hangul, Thai,
  ...) is not English;
* words: a Latin-script message is scored per language by its common function words (with and
  without diacritics: "może" and "moze" both count) plus letters that belong to a language
  ("ł", "ğ", "ơ", "ă", "ř", "ø"). English words count against. A few foreign names, drug names,
  abbreviations or a short quoted phrase in an English message stay English.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
"""A token; one with a digit ("h0w", "5kg", "m3tf0rm1n") is no word of any language."""
_SCRIPTS = (
    ("CYRILLIC", "Russian or another Cyrillic-script language"),
    ("ARABIC", "Arabic"),
    ("HEBREW", "Hebrew"),
    ("GREEK", "Greek"),
    ("DEVANAGARI", "Hindi or another Devanagari-script language"),
    ("CJK", "Chinese"),
    ("HIRAGANA", "Japanese"),
    ("KATAKANA", "Japanese"),
    ("HANGUL", "Korean"),
    ("THAI", "Thai"),
    ("LAO", "Lao"),
    ("KHMER", "Khmer"),
    ("MYANMAR", "Burmese"),
    ("BENGALI", "Bengali"),
    ("TAMIL", "Tamil"),
    ("TELUGU", "Telugu"),
    ("KANNADA", "Kannada"),
    ("MALAYALAM", "Malayalam"),
    ("SINHALA", "Sinhala"),
    ("ORIYA", "Odia"),
    ("GURMUKHI", "Punjabi"),
    ("GUJARATI", "Gujarati"),
    ("ARMENIAN", "Armenian"),
    ("GEORGIAN", "Georgian"),
    ("ETHIOPIC", "Amharic"),
    ("TIBETAN", "Tibetan"),
    ("SYRIAC", "Syriac"),
    ("THAANA", "Dhivehi"),
    ("MONGOLIAN", "Mongolian"),
)
_SCRIPT_NAMES = dict(_SCRIPTS)
# Letters that name the language inside its script (checked on the lower-cased message).
_SCRIPT_LANGUAGES: dict[str, tuple[tuple[str, str], ...]] = {
    "CYRILLIC": (
        ("іїєґ", "Ukrainian"),
        ("ў", "Belarusian"),
        ("ђћџљњјѓќѕ", "Serbian or Macedonian"),
    ),
    "ARABIC": (("ٹڈڑںےھ", "Urdu"), ("پچژگیک", "Persian")),
}

# Common English words: function words and everyday verbs count as English evidence; words
# of practice (gym terms, body parts, abbreviations) are used as loanwords in other languages
# ("berapa set squat") so they only stop a foreign word list from claiming them.
_ENGLISH = frozenset(
    "the a an and or but of to in on at for with from by is are was were be been being am do "
    "does did done have has had having i you he she it we they my your her his their our me him "
    "them us this that these those what which who whom how when where why can could should "
    "would will shall may might must not no yes if so as about after before than then there "
    "here just also very out up down into over under again more most some any all each both "
    "few other such only own same too please thanks thank good write explain give tell make "
    "get new like need want know one two three today now still even ever never always because "
    "while during without within between through its it's i'm don't can't isn't he's "
    "she's let take use used using find help said says asked feel feels felt see seen look "
    "looks way well much many long short first last next off doing going got goes go come "
    "came told call called wants asks makes keeps needs gets uses tried told".split()
)
_PRACTICE = frozenset(
    "client clients session sessions doctor physician exercise exercises pain knee hip back "
    "heart ok okay name time week weeks day days month years old age older patient member "
    "coach trainer class walk walking run running bike squat squats press bench deadlift "
    "lunge lunges stretch mobility balance strength cardio pressure blood rate sugar chest leg "
    "legs arm arms shoulder neck head body side left right high low min max mg kg lb lbs bpm "
    "bp hr rpe pt pe gp md plan program programme training workout set sets reps rep load "
    "weight man men care".split()
)

# Foreign words that are English words or common abbreviations in practice messages ("son",
# "plus", "AI", "ER", "post-op", "ten reps", "PA", "Tim"): no evidence either way.
_AMBIGUOUS = frozenset(
    "son plus par pour im heel ten pan bile sit bare pro ted pre ban bay hang tap tim bi ho".split()
)

# Common words per language, written with their diacritics; the same words without diacritics
# are added below (people type "nie moze" as often as "nie może").
_OTHER_WORDS: dict[str, str] = {
    "Spanish": "el la los las un una unos unas y o pero de del al en con por para es son está "
    "están estoy tengo tiene mi mis su sus qué que cómo como cuándo dónde puede puedo debe "
    "hacer muy más sin sobre ya le lo se me te nos cliente clienta dolor pecho rodilla "
    "ejercicio médico cuánto cuánta cuántos cuántas necesito necesita debo hoy ahora también "
    "porque hay ella él",
    "French": "le la les un une des et ou mais de du au aux en avec pour par est sont suis "
    "j'ai ai a mon ma mes son sa ses ce cette qui que quoi comment quand où peut peux doit "
    "faire très plus sans sur dans il elle ils elles nous vous je ne pas client cliente "
    "douleur poitrine genou exercice médecin aujourd'hui maintenant quelle quel dois c'est "
    "n'est qu'il qu'elle j'en",
    "German": "der die das ein eine einen und oder aber von zu im in an mit für auf ist "
    "sind bin hat habe mein meine sein seine ihr ihre was wie wann wo kann können soll muss "
    "machen sehr mehr ohne nicht kein keine ich er sie es wir auch schon noch klient "
    "klientin schmerzen brust knie übung arzt heute jetzt dass sich",
    "Italian": "il lo la i gli le un una e o ma di del della al in con per è sono ho ha mio "
    "mia suo sua che cosa come quando dove può posso deve fare molto più senza su non "
    "cliente dolore petto ginocchio esercizio medico oggi adesso ora quanto quanta "
    "si buona buono questo questa anche perché sempre tutto tutti ancora dopo prima bene grazie "
    "quale quali chi ci ne ti vi nel nella dei delle sul sulla alla dal dalla stato stata "
    "essere avere per",
    "Portuguese": "o a os as um uma e ou mas de do da dos das no na em com por para é são "
    "está estou tenho tem meu minha seu sua que como quando onde pode posso deve fazer muito "
    "mais sem não cliente dor peito joelho exercício médico hoje agora quanto quanta ele ela "
    "você",
    "Dutch": "de het een en of maar van te in op met voor is zijn ben heb heeft mijn haar "
    "wat hoe wanneer waar kan moet doen zeer meer zonder niet geen ik hij zij wij ook klant "
    "cliënt pijn borst knie oefening arts vandaag nu erg heel deze dit die dat naar bij",
    "Polish": "nie jest się że na do to w z o u co jak ale czy ma mam mnie mi mój moja moje "
    "jego jej ich od po przy dla przez bardzo już jeszcze też tylko może można musi są był "
    "była było będzie tak tego tym ten ta te tej który która które gdzie kiedy dlaczego ile "
    "proszę dzień dobry klient klientka klientki ćwiczenia ćwiczenie trening ból kolano "
    "klatce klatka piersiowej lekarz dzisiaj teraz bo więc albo oraz jestem jesteś mojej "
    "mojego moim pan pani go czuje mówi powiedział powiedziała",
    "Turkish": "ve bir bu da de için ile ne var yok çok daha gibi ama ben sen biz siz onlar "
    "mı mi mu mü değil olarak olan oldu sonra önce şimdi bugün nasıl neden nerede hangi "
    "kadar her şey benim senin onun müşteri müşterim danışan danışanım egzersiz ağrı "
    "ağrısı göğüs göğsünde diz doktor antrenman lütfen evet hayır iyi kötü çünkü veya ya "
    "hem ki bile sadece artık hala öğrencim üyemiz "
    "yarın hava olacak kaç gün haftada yapmalı lazım gerek acil yardım nefes bayıldı düştü",
    "Vietnamese": "của tôi và là có không được trong cho với này đó một những các người bị "
    "đau rất thì mà nhưng khi nếu để đã đang sẽ cũng như về từ vào lên xuống anh chị em "
    "ông bà cô chú ấy họ chúng ta mình bạn gì sao thế nào bao nhiêu khách hàng học viên "
    "bài tập luyện ngực đầu gối bác sĩ hôm nay bây giờ phải nên làm ạ nhé vậy rồi tim thở",
    "Indonesian or Malay": "dan yang di ke dari ini itu dengan untuk tidak ada saya aku "
    "kamu dia kami kita mereka sudah belum akan bisa boleh harus juga atau tapi tetapi "
    "karena jika kalau sangat sekali lebih apa bagaimana kenapa mengapa berapa kapan "
    "dimana sini klien pasien latihan sakit nyeri dada lutut dokter hari sekarang tolong "
    "terima kasih sedang masih saja hanya pada oleh adalah menjadi seperti setelah sebelum "
    "tak nak awak anda nggak gak tiba tiba-tiba",
    "Swedish": "och att det som en ett är har inte jag du han hon vi de på med för till av "
    "om så kan ska vill måste mycket också nu idag hur vad varför när vilken mitt mina "
    "hans hennes deras kund klienten ont smärta bröstet knä träning läkare övning tack hej "
    "bara efter innan eller någon något alla sig sitt kunden "
    "blir väder vädret helgen imorgon igår veckan skulle kunde borde hjälp ring ambulans",
    "Danish": "og at det som en et er har ikke jeg du han hun vi de på med til af om så kan "
    "skal vil må meget også nu hvordan hvad hvorfor hvornår hvilken mit hans hendes deres "
    "kunde klient ondt smerter brystet knæ træning læge øvelse tak hej bare efter før "
    "eller nogen noget alle sig sin sit jo lige "
    "hvor ofte bør hvem uge træne hjælp ring ambulance bliver",
    "Norwegian": "og at det som en et er har ikke jeg du han hun vi de på med til av om så "
    "kan skal vil må mye også nå hvordan hva hvorfor når hvilken mitt hans hennes deres "
    "kunde klient vondt smerter brystet kne trening lege øvelse takk hei bare etter før "
    "eller noen noe alle seg sin sitt "
    "hvor ofte bør hvem uka uke trene styrke hjelp ring ambulanse blir",
    "Czech": "a je se na v to že s z do o u k i ale jak co když pro od po při jsem jsi "
    "jsou byl byla bylo bude nejsem není nemá má mám mi mě mne můj moje moji jeho její "
    "jejich tak také taky jen už ještě velmi moc proč kde kdy který která které tento tato "
    "toto ten ta klient klientka cvičení trénink bolest hrudi koleno lékař doktor dnes teď "
    "prosím děkuji dobrý den nebo protože jestli aby může nemůže "
    "kolik jaký jaká zítra včera pomoc sanitku záchranku zavolejte potřebuji chci můžete mohu musí "
    "ve jí hlava",
    "Slovak": "a je sa na v to že s z do o u k i ale ako čo keď pre od po pri som si sú bol "
    "bola bolo bude nie nemá má mám mi ma môj moja jeho jej ich tak tiež len už ešte veľmi "
    "prečo kde kedy ktorý ktorá ktoré tento táto toto klient klientka cvičenie tréning "
    "bolesť hrudi koleno lekár dnes teraz prosím ďakujem dobrý deň alebo pretože môže",
    "Romanian": "și în de la cu pe nu este e sunt o un una pentru că ce mai din sau dar "
    "foarte ai avem au fost va vor poate trebuie cum când unde cât meu mea mei lui ei lor "
    "el ea noi voi acest această acum azi astăzi client clientul clienta clientă exercițiu "
    "exerciții durere piept genunchi medic doctor vă rog mulțumesc bună ziua doar după "
    "înainte îi îmi mă se să",
    "Tagalog": "ang ng mga sa na ay ako ko mo siya niya kami tayo sila nila namin natin ito "
    "iyan iyon yung hindi oo po opo ba pa lang din rin naman kasi pero kung dahil para kay "
    "ni nang mayroon wala gusto ano paano bakit saan kailan sino kliyente masakit sakit "
    "dibdib tuhod doktor ehersisyo ngayon bukas salamat tulong tulungan niyo ninyo kanyang "
    "akin amin nya yong siyang hinimatay",
    "Swahili": "na ya wa kwa ni la za katika hii hiyo huyu yule mimi wewe yeye sisi ninyi "
    "wao sana lakini kama au si hapana ndiyo ndio nini vipi wapi lini gani mteja wangu wako "
    "wake maumivu kifua goti daktari mazoezi leo sasa tafadhali asante habari ana anaumwa "
    "nina una hana sina kuna hakuna kwamba pia tu bado anasema amesema "
    "simu piga hali hewa kesho fahamu mgonjwa msaada haraka damu kupumua hawezi siwezi je ngapi "
    "mara wiki siku jana uzito",
    "Finnish": "ja on ei se että oli ovat olen olet hän me te he minä sinä mutta kun jos "
    "niin myös vain nyt tänään miten mitä miksi missä milloin kuka mikä minun sinun hänen "
    "asiakas asiakkaani asiakkaan kipu rinta rintakipu polvi lääkäri harjoitus kiitos hei "
    "voi voiko pitää täytyy kanssa ilman eikä tai sekä joka jotka "
    "kuinka monta millainen huomenna sää eilen hänellä minulla pitäisi voinko onko tehdä koska "
    "jotta täällä apua heti soita",
    "Hungarian": "az és egy hogy nem van vagy de csak már még meg el ki fel le mi mit "
    "miért hogyan hol mikor ez ezt azt ő én te ti ők nekem neki volt lesz kell lehet nagyon "
    "ügyfél ügyfelem fájdalom mellkas mellkasi térd orvos edzés gyakorlat ma most kérem "
    "köszönöm igen sem "
    "hány milyen holnap idő tegnap kezdő kezdőknek mert ha akkor amikor miatt után előtt nála "
    "vele nincs vannak tud tudok tudja segítség mentőt",
    "Croatian, Serbian or Bosnian": "i je se u na da su za od do po sa s ali kako što šta "
    "kada gdje gde zašto ja ti on ona mi vi oni moj moja moje njegov njezin njen klijent "
    "klijentica vježbe vežbe bol prsima koljeno kolenu liječnik lekar doktor danas sada "
    "molim hvala nije ima nema može mogu treba jako vrlo "
    "kakvo će biti vrijeme sutra jučer koliko serija pomoć hitnu hitna zovi nazovi",
}

# Letters that belong to a language (or a few): each occurrence is evidence for it.
_LETTERS: dict[str, str] = {
    "Spanish": "ñáéíóúü¿¡",
    "French": "éèêàâîôûùçœëïÿ",
    "German": "äöüß",
    "Italian": "àèéìòù",
    "Portuguese": "ãõçáéíóúâêôà",
    "Dutch": "ëï",
    "Polish": "ąćęłńóśźż",
    "Turkish": "çğıöşü",
    "Vietnamese": "ăâđêôơưàáảãạấầẩẫậắằẳẵặèéẻẽẹếềểễệìíỉĩịòóỏõọốồổỗộớờởỡợùúủũụứừửữựỳýỷỹỵ",
    "Swedish": "åäö",
    "Danish": "åæø",
    "Norwegian": "åæø",
    "Czech": "áčďéěíňóřšťúůýž",
    "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Romanian": "ăâîșțşţ",
    "Finnish": "äö",
    "Hungarian": "áéíóöőúüű",
    "Croatian, Serbian or Bosnian": "čćđšž",
}
_FOLD = str.maketrans({"ł": "l", "đ": "d", "ı": "i", "ø": "o", "æ": "ae", "ß": "ss", "œ": "oe"})


def fold(text: str) -> str:
    """`text` without diacritics ("może" -> "moze", "được" -> "duoc", "łóżko" -> "lozko")."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _vocabularies() -> dict[str, frozenset[str]]:
    vocabularies = {}
    for language, words in _OTHER_WORDS.items():
        written = set(words.split())
        folded = {fold(w) for w in written}
        # a folded form that is an English word ("đó" -> "do", "thế" -> "the") is no evidence
        vocabularies[language] = frozenset((written | folded) - _ENGLISH - _PRACTICE - _AMBIGUOUS)
    return vocabularies


_OTHER = _vocabularies()
_WRITTEN = {language: frozenset(words.split()) for language, words in _OTHER_WORDS.items()}
"""The word lists as written: "was", "die", "am" in a German message are not English evidence."""
_LETTER_LANGUAGES: dict[str, tuple[str, ...]] = {}
for _language, _letters in _LETTERS.items():
    for _ch in _letters:
        _LETTER_LANGUAGES[_ch] = (*_LETTER_LANGUAGES.get(_ch, ()), _language)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_INVERTED = re.compile(r"[^¿¡]+")


@lru_cache(maxsize=4096)
def _script(ch: str) -> str | None:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    for script, _ in _SCRIPTS:
        if name.startswith(script):
            return script
    return None


def _script_language(text: str, letters: int) -> str | None:
    counts: dict[str, int] = {}
    for ch in _NON_ASCII.findall(text):
        if ord(ch) > 0x24F and ch.isalpha():
            script = _script(ch)
            if script:
                counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    script, count = max(counts.items(), key=lambda item: item[1])
    if count < 0.3 * letters:
        return None
    if script == "CJK" and (counts.get("HIRAGANA", 0) or counts.get("KATAKANA", 0)):
        return "Japanese"
    lowered = text.lower()
    for marks, language in _SCRIPT_LANGUAGES.get(script, ()):
        if re.search(f"[{marks}]", lowered):
            return language
    return _SCRIPT_NAMES[script]


_SENTENCE_START = re.compile(r"[.!?:;\n¿¡]\s*[\"'“‘(]*$")


def _inside(text: str, start: int, first: int) -> bool:
    """Whether the word at `start` is inside a sentence: not the text's first word (at
    `first`) nor one right after a sentence's end (only the few characters before are read)."""
    return start > first and not _SENTENCE_START.search(text, max(0, start - 12), start)


def _word_language(text: str) -> str | None:
    # a capitalised word inside a sentence is a name ("for Mia Lo"), not a word of the language
    first = len(text) - len(text.lstrip())
    tokens = [
        word
        for m in _TOKEN.finditer(text)
        if (word := m.group(0)).replace("'", "").replace("’", "").isalpha()
        and not (word[:1].isupper() and word[1:].islower() and _inside(text, m.start(), first))
    ]
    # an all-capitals token is an abbreviation ("ER", "PA", "TKR", "AI"): no evidence either way
    words = [w.lower() for w in tokens if len(w) == 1 or not w.isupper()]
    # one-letter words count only as foreign evidence ("w", "v", "e"), never as a word of
    # their own for the length bars ("a", "i" are English too)
    long_words = [w for w in words if len(w) > 1]
    if len(words) < 2 or not long_words:
        return None
    # letters of a capitalised word are a name's ("Åsa Söderström", "Łukasz"), not evidence
    # and an opening "¿" or "¡" wherever it stands
    lower_words = " ".join(w for w in tokens if not w[0].isupper()) + _INVERTED.sub("", text)
    letter_counts: dict[str, int] = {}
    for ch in _NON_ASCII.findall(lower_words):
        for language in _LETTER_LANGUAGES.get(ch, ()):
            letter_counts[language] = letter_counts.get(language, 0) + 1
    counts = Counter(words)
    best_language, best, best_words = "", 0.0, 0.0
    for language, vocab in _OTHER.items():
        found = vocab.intersection(counts)
        if not any(len(w) > 1 for w in found):
            continue  # one-letter words alone ("w", "e", the "o" of "c/o") are no evidence
        # a one-letter word counts half
        hits = sum(counts[w] * (1.0 if len(w) > 1 else 0.5) for w in found)
        score = hits + 0.5 * min(letter_counts.get(language, 0), 3)
        if score > best:
            best_language, best, best_words = language, score, hits
    if not best_language or best_words == 0:
        return None
    vocab = _WRITTEN[best_language] | _OTHER[best_language]
    english = sum(
        (w in _ENGLISH and w not in vocab and w != "i")
        or w.endswith(("'s", "'re", "'ll", "n't", "'ve"))
        for w in words
    )
    if best >= 2 and best > english and best >= 0.25 * len(long_words):
        return best_language
    return None


def detect_non_english(text: str) -> str | None:
    """The language (or script) of `text` when it is not English, else None."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < 4:
        return None
    return _script_language(text, letters) or _word_language(text)
