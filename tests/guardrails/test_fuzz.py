"""Random text of every kind gets a decision or a clear ValueError, never another exception."""

from __future__ import annotations

import base64
import random

import pytest

from guardrails import Category, ScopeGuard, check_output

ALPHABETS = [
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?'\"()-",
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\x00\x07\x1b\x7f\t\r\n",
    "αβγδεжзийклмн中文字符日本語한국어עבריתالعربية",
    "💪🏽🔥😅🧠❤️‍🔥👩🏾‍⚕️",
    "0Oo1lI|!@#$%^&*_=+[]{}<>/\\~`",
]


def _random_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        pool = "".join(rng.sample(ALPHABETS, k=rng.randint(1, len(ALPHABETS))))
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 400)))
        if rng.random() < 0.2:
            text += " " + base64.b64encode(text.encode("utf-8", "surrogatepass")).decode()
        texts.append(text)
    return texts


@pytest.mark.parametrize("seed", range(4))
def test_random_text_never_escapes_as_an_unexpected_exception(guard: ScopeGuard, seed: int) -> None:
    for text in _random_texts(seed, 60):
        try:
            decision = guard.check_input(text)
        except ValueError as exc:
            assert str(exc)
            continue
        assert decision.category in set(Category)
        assert decision.reason
        assert decision.allowed == (decision.category is Category.IN_SCOPE)
        assert isinstance(check_output(text), list)
