"""The spoken commands: what a patient on the mat may say, and the grammar the recogniser hears.

The phrases live in the text catalog (``voice_command.*``, one key per command, its phrasings
separated by ``|``), so a translation brings its own; the grammar is built from whatever the
kiosk's language says. Ordinary speech needs somewhere to go that is not a command, or the
recogniser maps every cough and every "now the other side" to the nearest command: the
grammar's other branch is a loop of common short words (:data:`FILLER_WORDS`), and an
utterance is a command only when the whole of it is one command phrase.

The phrases were chosen by measurement (``bench/voice_commands.py``, docs/voice.md): two or
more syllables where we could, no phrase that is a word of the narration ("lower", "hold"),
and "stop" only as "stop session", which never ends a session by itself: it asks, and only
"yes" (or a touch) ends it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Command(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    NEXT = "next"
    REPEAT = "repeat"
    HURTS = "hurts"
    STOP = "stop"  # asks first: see CONFIRMATION
    YES = "yes"  # only means something while a question is open
    LOUDER = "louder"
    QUIETER = "quieter"
    SLOWER = "slower"
    FASTER = "faster"


#: The catalog key of each command's phrasings ("pause|wait").
CATALOG_KEYS: dict[Command, str] = {
    Command.PAUSE: "voice_command.pause",
    Command.RESUME: "voice_command.resume",
    Command.NEXT: "voice_command.next",
    Command.REPEAT: "voice_command.repeat",
    Command.HURTS: "voice_command.hurts",
    Command.STOP: "voice_command.stop",
    Command.YES: "voice_command.yes",
    Command.LOUDER: "voice_command.louder",
    Command.QUIETER: "voice_command.quieter",
    Command.SLOWER: "voice_command.slower",
    Command.FASTER: "voice_command.faster",
}

#: Commands whose false accept would cost the patient more than a tap: they need a "yes".
NEEDS_CONFIRMATION = frozenset({Command.STOP})

#: Where ordinary speech goes: short common English words, and the narration's own words
#: that sound like a command ("lower" for "slower", "hold", "again"). None may be a word of
#: a command phrase (:func:`filler_for` drops those).
FILLER_WORDS = (
    *("the", "a", "and", "to", "of", "i", "you", "it", "is", "in", "that", "we", "on"),
    *("for", "with", "this", "be", "have", "but", "not", "so", "go", "do", "what", "can"),
    *("get", "up", "at", "one", "two", "three", "four", "five", "six", "seven", "eight"),
    *("nine", "ten", "now", "okay", "oh", "well", "right", "left", "knee", "leg", "lift"),
    *("hold", "lower", "slowly", "breathe", "side", "rest", "time", "hip", "keep", "your"),
    *("my", "no", "out", "press", "wall", "set", "last", "other", "done", "good", "back"),
)


@dataclass(frozen=True)
class Vocabulary:
    """Each command's phrases (lower case, single spaces), as the recogniser will hear them."""

    phrases: Mapping[Command, tuple[str, ...]]

    @classmethod
    def from_catalog(cls, lookup: Callable[[str], str]) -> Vocabulary:
        """The phrases the kiosk's language gives (``lookup`` is :func:`kiosk.text.t`)."""
        return cls({c: split_phrases(lookup(key)) for c, key in CATALOG_KEYS.items()})

    def command_for(self, heard: str) -> Command | None:
        """The command ``heard`` is, word for word, or None."""
        said = normalise(heard)
        for command, phrases in self.phrases.items():
            if said in phrases:
                return command
        return None

    def words(self) -> set[str]:
        return {w for phrases in self.phrases.values() for p in phrases for w in p.split()}

    def hint(self, commands: Iterable[Command]) -> str:
        """The first phrasing of each of ``commands``, for the "You can say" line."""
        return ", ".join(f"“{self.phrases[c][0]}”" for c in commands if self.phrases.get(c))


def normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z']+", text.lower()))


def split_phrases(value: str) -> tuple[str, ...]:
    return tuple(p for p in (normalise(part) for part in value.split("|")) if p)


def filler_for(vocabulary: Vocabulary, words: Iterable[str] = FILLER_WORDS) -> tuple[str, ...]:
    used = vocabulary.words()
    return tuple(w for w in dict.fromkeys(words) if w not in used)


def jsgf(vocabulary: Vocabulary, filler: Iterable[str], *, filler_weight: float = 1.0) -> str:
    """The grammar: one command phrase, or any run of filler words.

    ``filler_weight`` (relative to the commands' 1.0) moves the balance between missing a
    command and taking speech for one; the bench measures both (docs/voice.md)."""
    phrases = [p for ps in vocabulary.phrases.values() for p in ps]
    commands = " | ".join(f"( {p} )" for p in dict.fromkeys(phrases))
    junk = " | ".join(filler)
    body = f"/1.0/ <command> | /{filler_weight:g}/ <filler>+" if junk else "<command>"
    lines = ["#JSGF V1.0;", "grammar kiosk;", f"public <utterance> = {body};"]
    lines.append(f"<command> = {commands};")
    if junk:
        lines.append(f"<filler> = {junk};")
    return "\n".join(lines) + "\n"
