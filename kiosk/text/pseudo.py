"""A pseudo-language for testing: the English, every letter accented and each text in ⟦ ⟧.

Nobody speaks it; it exists so that a walk through every screen in it shows at a glance (and
to ``tests/ui/test_text_everywhere.py`` mechanically) any text that did not come from the
catalog: such text is still plain English. ``{fields}`` are kept as they are, so templates
fill in exactly as in English. Try it: ``KIOSK_LANGUAGE=pseudo make run``.
"""

from __future__ import annotations

import re
from typing import Final

from kiosk.text import en

CODE: Final = "pseudo"
NAME: Final = "Pseudo (test)"
ESPEAK_VOICE: Final = en.ESPEAK_VOICE
SECONDS_PER_WORD: Final = en.SECONDS_PER_WORD
OPEN: Final = "⟦"
CLOSE: Final = "⟧"

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçđéƒĝĥíĵķłɱñóƥǫŕšťúʋŵẋýžÁƁÇĐÉƑĜĤÍĴĶŁṀÑÓƤǪŔŠŤÚṼŴẊÝŽ",
)
_FIELD = re.compile(r"(\{[^{}]*\})")


def pseudo(text: str) -> str:
    """``"Hello, {name}"`` becomes ``"⟦Ĥéłłó, {name}⟧"``; an empty text stays empty."""
    if not text:
        return text
    parts = _FIELD.split(text)
    accented = "".join(p if _FIELD.fullmatch(p) else p.translate(_ACCENTED) for p in parts)
    return f"{OPEN}{accented}{CLOSE}"


def is_pseudo(text: str) -> bool:
    """Whether ``text`` is one whole catalog text in this language (``⟦…⟧``)."""
    return text.startswith(OPEN) and text.endswith(CLOSE)


def plural(n: int) -> str:
    return en.plural(n)


MESSAGES: Final[dict[str, str]] = {key: pseudo(text) for key, text in en.MESSAGES.items()}
