"""How the session's spoken cues and step titles are put together.

The words come from the catalog (``kiosk.text``, keys ``cue.*``); this module only decides
which phrase fits where, so the compiler never holds a sentence of its own. The
speech-length estimate lives here too: how long a sentence takes depends on its language
(``SECONDS_PER_WORD`` in each catalog), and the compiler needs it to keep spoken cues from
talking over each other.
"""

from __future__ import annotations

import math

from kiosk.core.timeline import Side
from kiosk.text import current, t

#: Key points read out in an intro; the rest stay on screen. Two keep the intro short.
INTRO_KEY_POINTS = 2

#: The name of the hold phase inside a rep (not a word anyone hears: an identifier the
#: demonstration matches on). Its spoken word is ``cue.hold``.
HOLD_PHASE_NAME = "hold"

_LIMB = {Side.LEFT: "cue.left_leg", Side.RIGHT: "cue.right_leg"}
_LIMB_ALONE = {Side.LEFT: "cue.only_left", Side.RIGHT: "cue.only_right"}
_SIDE_NAME = {Side.LEFT: "cue.left_side", Side.RIGHT: "cue.right_side"}
#: Gentle encouragement, used sparingly: once per exercise, in its first long rest.
_ENCOURAGEMENTS = ("cue.encourage_1", "cue.encourage_2", "cue.encourage_3")


def encouragements() -> tuple[str, ...]:
    """Every encouragement, in the order :func:`encouragement` takes them."""
    return tuple(t(key) for key in _ENCOURAGEMENTS)


def fixed_phrases() -> tuple[str, ...]:
    """The phrases any session may say whatever its program (rendered once, ahead of time)."""
    return (
        t("cue.hold"),
        t("cue.halfway"),
        t("cue.rest_short"),
        t("cue.done"),
        t("cue.pain_stop"),
        *encouragements(),
    )


def word_count(text: str) -> int:
    return len(text.split())


def speech_s(text: str) -> float:
    """How long ``text`` takes to say: the compiler never starts a cue before this has passed."""
    return words_s(word_count(text))


def words_s(words: int) -> float:
    """How long ``words`` words take to say in the kiosk's language (sizes the intro step)."""
    return current().seconds_per_word * words


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
    return t(_ENCOURAGEMENTS[n % len(_ENCOURAGEMENTS)])


def limb(side: Side) -> str:
    return t(_LIMB[side])


def set_label(set_number: int, sets_total: int, side: Side | None) -> str:
    """The set and side, e.g. "Set 2 of 3, left leg": no full stop, it goes inside sentences."""
    if sets_total == 1:  # "Set 1 of 1" says nothing: name the side alone
        return t(_LIMB_ALONE[side]) if side is not None else t("cue.get_ready")
    if side is None:
        return t("cue.set_of", set=set_number, total=sets_total)
    return t("cue.set_of_limb", set=set_number, total=sets_total, limb=limb(side))


def countdown_announce(
    set_number: int, sets_total: int, side: Side | None, *, name: str | None = None
) -> str:
    """What opens a countdown.

    With ``name`` (the second side of a side series, where the intro is not repeated) the
    exercise is named first: "Clamshell, right side. Set 1 of 2."
    """
    if name is not None and side is not None:
        if sets_total > 1:
            return t(
                "cue.series_side_set",
                name=name,
                side=t(_SIDE_NAME[side]),
                set=set_number,
                total=sets_total,
            )
        return t("cue.series_side", name=name, side=t(_SIDE_NAME[side]))
    return _sentence(set_label(set_number, sets_total, side))


def countdown_number(n: int) -> str:
    return str(n)


def count(n: int) -> str:
    """A rep count or a hold's last seconds, spoken as digits."""
    return str(n)


def stance_announce(side: Side | None) -> str:
    """What opens each side of the balance check: "Stand on your left leg."."""
    return t("cue.stance_on", limb=limb(side)) if side is not None else t("cue.stance_one_leg")


def stance_label(side: Side | None) -> str:
    """The side of the balance check coming next, for the screen: "Stand on your right leg"."""
    return stance_announce(side).rstrip(".")


def rest_next_set(set_number: int, sets_total: int, side: Side | None) -> str:
    """What a rest between sets says: "Rest. Next: set 2 of 3, left leg."."""
    if sets_total == 1:
        return t("cue.rest_next_limb", limb=limb(side)) if side is not None else t("cue.rest_short")
    if side is None:
        return t("cue.rest_next_set", set=set_number, total=sets_total)
    return t("cue.rest_next_set_limb", set=set_number, total=sets_total, limb=limb(side))


def next_up(name: str) -> str:
    return t("cue.next_up", name=_sentence(name))


def switch_sides(side: Side) -> str:
    return t("cue.switch_sides", limb=limb(side))


def longest_fitting(candidates: tuple[str, ...], seconds: float) -> str | None:
    """The first phrasing that can be said within ``seconds`` (None: say nothing)."""
    for text in candidates:
        if speech_s(text) <= seconds + 1e-9:
            return text
    return None


def round_up_half(seconds: float) -> float:
    """Round up to the next half second, so countdown numbers land on a calm beat."""
    return math.ceil(seconds * 2 - 1e-9) / 2
