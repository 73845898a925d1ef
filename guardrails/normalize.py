"""Normalisation: undo the tricks that hide a request from the rules.

Unicode NFKC, invisible and control characters removed, homoglyphs and leetspeak folded,
letter-spaced words joined, and base64 / hex / rot13 / URL-encoded / Unicode-tag payloads
decoded so that they are checked too.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160"
    "\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f"
    "\ufeff\uffa0\ufff0-\ufffb\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
_TAGS = re.compile("[\U000e0020-\U000e007e]+")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")

_HOMOGLYPHS = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ɡ": "g",
        "һ": "h",
        "ӏ": "l",
        "ո": "n",
        "ս": "u",
        "ԛ": "q",
        "ԝ": "w",
        "А": "A",
        "В": "B",
        "Е": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "У": "Y",
        "Х": "X",
        "І": "I",
        "Ј": "J",
        "Ѕ": "S",
        "α": "a",
        "β": "b",
        "ε": "e",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "γ": "y",
        "Α": "A",
        "Β": "B",
        "Ε": "E",
        "Ζ": "Z",
        "Η": "H",
        "Ι": "I",
        "Κ": "K",
        "Μ": "M",
        "Ν": "N",
        "Ο": "O",
        "Ρ": "P",
        "Τ": "T",
        "Υ": "Y",
        "Χ": "X",
        "ı": "i",
        "ɩ": "i",
        "ℓ": "l",
        "ʟ": "l",
        "ᴀ": "a",
        "ᴄ": "c",
        "ᴅ": "d",
        "ᴇ": "e",
        "ɢ": "g",
        "ʜ": "h",
        "ɪ": "i",
        "ᴊ": "j",
        "ᴋ": "k",
        "ᴍ": "m",
        "ɴ": "n",
        "ᴏ": "o",
        "ᴘ": "p",
        "ʀ": "r",
        "ᴛ": "t",
        "ᴜ": "u",
        "ᴠ": "v",
        "ᴡ": "w",
        "ʏ": "y",
        "ᴢ": "z",
    }
)
_WORD = re.compile(r"\w+")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "€": "e"}
)
_LEET_TOKEN = re.compile(r"(?<![a-z0-9@$€])[a-z]*+[0-9@$€][a-z0-9@$€]*+")
"""A whole run of [a-z0-9@$€] that holds a digit or symbol (runs of letters only never reach
Python: most words of a passage)."""
_LEET_CHARS = re.compile(r"[0-9@$€]")
_FOLDABLE = re.compile(r"[a-z@$€]")
_NUMBER_UNIT = re.compile(r"\d+(?:\.\d+)?[a-z]{1,5}|[a-z]\d{1,3}(?:\.\d+)?|\d+[a-z]\d*")
_SPACED = re.compile(r"\b(?:[a-z][ .\-_*/]){3,}[a-z]\b")
_SPACED_SEP = re.compile(r"[ .\-_*/]")
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/=_-])")
_HEX = re.compile(r"(?<![0-9A-Fa-f])(?:(?:0x)?[0-9A-Fa-f]{2}[\s:,\\x]*){8,}")
_URLENC = re.compile(r"(?:%[0-9A-Fa-f]{2}){4,}")
_WORDS = re.compile(r"[a-z]+")
_HONORIFIC = re.compile(r"\b(dr|mr|mrs|ms|prof|vs|approx|no)\.")
_COMMON = frozenset(
    "the a an and or to of in on for is are was be it i you my her his she he they we me "
    "what how do does can should would could will with this that not no yes your our at as "
    "from by about client session tell give me say all any now ignore previous instructions "
    "rules please help need want take much dose system prompt if so just then there here "
    "when why who which have has had been get make know like show write".split()
)
_MAX_PAYLOADS = 8


@dataclass(frozen=True)
class Normalized:
    """A message made comparable: `text` for the classifier, `variants` for the rules."""

    text: str
    variants: tuple[str, ...]
    payloads: tuple[str, ...]
    tricks: tuple[str, ...]

    @property
    def all_texts(self) -> tuple[str, ...]:
        """Every lower-cased form the rules should see: the text, its folds, decoded payloads."""
        return (*self.variants, *self.payloads)


def _fold_homoglyphs(text: str) -> str:
    """Fold look-alike letters in words that mix them with Latin letters (linear time)."""
    if text.isascii():
        return text

    def fold(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.isascii():
            return word
        folded = word.translate(_HOMOGLYPHS)
        return folded if folded.isascii() and any(c.isascii() for c in word) else word

    return _WORD.sub(fold, text)


def _fold_leet(text: str) -> str:
    def fold(match: re.Match[str]) -> str:
        token = match.group(0)
        if len(token) > 20 or not _FOLDABLE.search(token) or _NUMBER_UNIT.fullmatch(token):
            return token
        return token.translate(_LEET)

    return _LEET_TOKEN.sub(fold, text)


def _join_spaced(text: str) -> str:
    return _SPACED.sub(lambda m: _SPACED_SEP.sub("", m.group(0)), text)


def _readable(data: bytes) -> str | None:
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(decoded) < 6:
        return None
    printable = sum(ch.isprintable() or ch in "\n\t" for ch in decoded)
    letters = sum(ch.isalpha() for ch in decoded)
    if printable < 0.9 * len(decoded) or letters < 0.5 * len(decoded) or " " not in decoded:
        return None
    return decoded


_ROT13 = re.compile(r"\brot-?13\b")
"""A message that names the trick (a word such as "protocol" or "rotation" does not)."""


def _english_share(text: str) -> float:
    words = _WORDS.findall(text)
    if not words:
        return 0.0
    return sum(w in _COMMON for w in words) / len(words)


def _payloads(text: str, raw: str, lowered: str) -> tuple[list[str], list[str]]:
    """Decoded hidden payloads: `text` still has tag characters, `raw` has none."""
    found: list[str] = []
    tricks: list[str] = []
    for match in _BASE64.finditer(raw):
        token = match.group(0)
        if token.isalpha() and (token.islower() or token.isupper()):
            continue
        padded = token.replace("-", "+").replace("_", "/") + "=" * (-len(token) % 4)
        try:
            decoded = _readable(base64.b64decode(padded, validate=True))
        except (binascii.Error, ValueError):
            decoded = None
        if decoded:
            found.append(decoded)
            tricks.append("base64")
        if len(found) >= _MAX_PAYLOADS:
            break
    for match in _HEX.finditer(raw):
        digits = re.sub(r"0x|[^0-9A-Fa-f]", "", match.group(0))
        if len(digits) % 2:
            digits = digits[:-1]
        try:
            decoded = _readable(bytes.fromhex(digits))
        except ValueError:
            decoded = None
        if decoded:
            found.append(decoded)
            tricks.append("hex")
    if "%" in raw and _URLENC.search(raw):
        decoded_url = unquote(raw)
        if decoded_url != raw:
            found.append(decoded_url)
            tricks.append("url-encoding")
    tags = "".join(chr(ord(ch) - 0xE0000) for m in _TAGS.finditer(text) for ch in m.group(0))
    if tags.strip():
        found.append(tags)
        tricks.append("unicode-tags")
    share = _english_share(lowered)
    named = _ROT13.search(lowered) is not None
    if named or (share < 0.25 and len(lowered) >= 12):
        rotated = codecs.encode(lowered, "rot13")
        if named or _english_share(rotated) > share + 0.2:
            found.append(rotated)
            tricks.append("rot13")
    return [f.lower() for f in found[:_MAX_PAYLOADS]], tricks


def normalize(raw: str) -> Normalized:
    """Normalise one message (already length-limited by the caller)."""
    tricks: list[str] = []
    text = unicodedata.normalize("NFKC", raw)
    if text != raw and not raw.isascii():
        tricks.append("nfkc")
    stripped = _INVISIBLE.sub("", text)
    if stripped != text:
        tricks.append("invisible-characters")
    folded = _fold_homoglyphs(stripped)
    if folded != stripped:
        tricks.append("homoglyphs")
    clean = _SPACES.sub(" ", folded).strip()
    lowered = _HONORIFIC.sub(r"\1", clean.lower())
    variants = [lowered]
    leet = _fold_leet(lowered)
    if leet != lowered:
        variants.append(leet)
        tricks.append("leetspeak")
    joined = _SPACES.sub(" ", _join_spaced(_fold_leet(folded.lower()))).strip()
    if joined != leet:
        variants.append(joined)
        tricks.append("spaced-letters")
    payloads, payload_tricks = _payloads(text, stripped, lowered)
    return Normalized(
        text=clean,
        variants=tuple(variants),
        payloads=tuple(payloads),
        tricks=tuple(tricks + payload_tricks),
    )
