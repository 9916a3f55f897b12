"""Every word the session says or shows as a caption, in one place.

The compiler builds cue texts and step titles only through these functions, so a later
translation replaces this module (or feeds it a catalog) without touching the timing logic.
The speech-length estimate lives here too: the length of a sentence depends on its language,
and the compiler needs it to keep spoken cues from talking over each other.
"""

from __future__ import annotations

import math

from kiosk.core.timeline import Side

#: Seconds the voice needs per word. Deliberately slow: the kiosk speaks calmly, and an
#: overestimate only costs a little silence while an underestimate makes cues collide.
SECONDS_PER_WORD = 0.4

#: Words per second assumed when sizing the intro step (the intro adds a margin on top).
INTRO_WORDS_PER_S = 2.5

#: Key points read out in an intro; the rest stay on screen. Two keep the intro short.
INTRO_KEY_POINTS = 2

_SIDE_LIMB = {Side.LEFT: "left leg", Side.RIGHT: "right leg"}
_SIDE_NAME = {Side.LEFT: "left side", Side.RIGHT: "right side"}

REST_TITLE = "Rest"
SWITCH_TITLE = "Switch sides"
DONE_TITLE = "Well done"
REST_SHORT = "Rest."
HOLD = "Hold"
HALFWAY = "Halfway"
DONE = "Well done. That's the end of today's session."
HOLD_PHASE_NAME = "hold"
#: Said (and shown) the moment a patient presses "It hurts": the voice's one SAFETY message.
PAIN_STOP = "Stop and rest. Don't push through pain."
#: The balance check (the single-leg stance): what is said between and after the two sides.
STANCE_REST = "Put your foot down and rest."
STANCE_SWITCH = "Switch legs."
STANCE_DONE = "Well done. That's the balance check finished."
#: Gentle encouragement, used sparingly: once per exercise, in its first long rest between sets.
ENCOURAGEMENTS = ("Nice work.", "You're doing well.", "Good, keep it steady.")


def word_count(text: str) -> int:
    return len(text.split())


def speech_s(text: str) -> float:
    """How long ``text`` takes to say: the compiler never starts a cue before this has passed."""
    return SECONDS_PER_WORD * word_count(text)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def intro(name: str, key_points: tuple[str, ...]) -> str:
    """The exercise name and the first key points, e.g. "Clamshell. Keep your hips stacked."."""
    parts = [_sentence(name)] + [_sentence(k) for k in key_points[:INTRO_KEY_POINTS] if k.strip()]
    return " ".join(parts)


def breathing(lines: tuple[str, ...]) -> str:
    """The exercise's breathing cues as one instruction ("" when it has none)."""
    return " ".join(_sentence(line) for line in lines if line.strip())


def encouragement(n: int) -> str:
    """The ``n``-th encouragement, rotating so a program does not repeat one phrase."""
    return ENCOURAGEMENTS[n % len(ENCOURAGEMENTS)]


def limb(side: Side) -> str:
    return _SIDE_LIMB[side]


def set_label(set_number: int, sets_total: int, side: Side | None) -> str:
    """The set and side, e.g. "Set 2 of 3, left leg": no full stop, it goes inside sentences."""
    if sets_total == 1:  # "Set 1 of 1" says nothing: name the side alone
        return limb(side).capitalize() if side is not None else "Get ready"
    label = f"Set {set_number} of {sets_total}"
    return f"{label}, {limb(side)}" if side is not None else label


def countdown_announce(
    set_number: int, sets_total: int, side: Side | None, *, name: str | None = None
) -> str:
    """What opens a countdown.

    With ``name`` (the second side of a side series, where the intro is not repeated) the
    exercise is named first: "Clamshell, right side. Set 1 of 2."
    """
    if name is not None and side is not None:
        head = f"{name}, {_SIDE_NAME[side]}."
        return f"{head} Set {set_number} of {sets_total}." if sets_total > 1 else head
    return f"{set_label(set_number, sets_total, side)}."


def countdown_number(n: int) -> str:
    return str(n)


def count(n: int) -> str:
    """A rep count or a hold's last seconds, spoken as digits."""
    return str(n)


def stance_announce(side: Side | None) -> str:
    """What opens each side of the balance check: "Stand on your left leg."."""
    return f"Stand on your {limb(side)}." if side is not None else "Stand on one leg."


def stance_label(side: Side | None) -> str:
    """The side of the balance check coming next, for the screen: "Stand on your right leg"."""
    return stance_announce(side).rstrip(".")


def rest_next_set(set_number: int, sets_total: int, side: Side | None) -> str:
    return f"Rest. Next: {set_label(set_number, sets_total, side).lower()}."


def next_up(name: str) -> str:
    return f"Next up: {_sentence(name)}"


def switch_sides(side: Side) -> str:
    return f"Switch sides. Now your {limb(side)}."


def longest_fitting(candidates: tuple[str, ...], seconds: float) -> str | None:
    """The first phrasing that can be said within ``seconds`` (None: say nothing)."""
    for text in candidates:
        if speech_s(text) <= seconds + 1e-9:
            return text
    return None


def round_up_half(seconds: float) -> float:
    """Round up to the next half second, so countdown numbers land on a calm beat."""
    return math.ceil(seconds * 2 - 1e-9) / 2
