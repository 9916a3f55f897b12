"""Offline recognition of the spoken commands: pocketsphinx with the English model its wheel ships.

:class:`CommandRecogniser` decodes one utterance at a time (the listener finds where an
utterance starts and ends, :mod:`voice.listening`) against the command grammar of
:mod:`voice.commands`, fed frame by frame while the patient speaks so that, when they stop,
only the end of the search is left (a few milliseconds). An utterance counts as a command only
if the whole of it is one command phrase and its length is a command's (:data:`MIN_SPEECH_S`,
:data:`MAX_SPEECH_S`): a clap or a cough is shorter, a sentence longer.

:class:`KeywordSpotter` is the simple baseline ``make bench`` measures beside it: pocketsphinx's
own keyword-spotting search over the continuous stream, every phrase at one threshold.

pocketsphinx is an optional extra (``voice-control``); without it, or with a model that does
not load, :class:`RecogniserUnavailableError` says why and the kiosk goes on by touch.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from voice.commands import Command, Vocabulary, filler_for, jsgf

log = logging.getLogger(__name__)

RATE = 16000
#: Shorter than any command phrase (the 0.2 s before the speech and the end window
#: included): a clap, a click.
MIN_SPEECH_S = 0.4
#: Longer than any command phrase said slowly: a sentence.
MAX_SPEECH_S = 2.5
#: The filler branch's weight against the commands' 1.0 and the word insertion penalty, as
#: chosen by ``bench/voice_commands.py`` (docs/voice.md). The penalty is paid per word, so
#: a lower one makes a run of short filler words ("be to good this" for a British "it
#: hurts") lose more often to the one or two words of a command. On one corpus, with the
#: pronunciations and the filler below: 0.2 → 95.5 %, 0.1 → 96.6 %, 0.05 → 97.7 % of the
#: clean commands; false "stop"/"next" in the ungated narration 1, 1, 2 (gated: 0, 0, 0).
#: 0.1 takes most of the gain and no more false accepts.
FILLER_WEIGHT = 1.0
WORD_PENALTY = 0.1
#: British (RP) pronunciations the US-English dictionary lacks, for the command words: the
#: unstressed "-er" as a schwa, the long "a" of "faster", the rounded "o" of "stop". Added
#: beside the dictionary's own, as alternatives (``word(n)``).
EXTRA_PRONUNCIATIONS: tuple[tuple[str, str], ...] = (
    ("louder", "L AW D AH"),
    ("quieter", "K W AY AH T AH"),
    ("quieter", "K W AY T AH"),
    ("slower", "S L OW AH"),
    ("faster", "F AA S T AH"),
    ("faster", "F AA S T ER"),
    ("stop", "S T AO P"),
    ("exercise", "EH K S AH S AY Z"),
    ("more", "M AO"),
)
#: The keyword-spotting baseline's threshold (pocketsphinx's documented starting point).
KWS_THRESHOLD = 1e-20


class RecogniserUnavailableError(RuntimeError):
    """pocketsphinx is not installed, or its model would not load."""


@dataclass(frozen=True)
class Heard:
    """What one utterance was: a command, or not (``command`` None, ``text`` what it sounded
    like, for the "not understood" indicator and the bench)."""

    command: Command | None
    text: str
    seconds: float


def _decoder(**config: Any) -> Any:
    try:
        from pocketsphinx import Decoder
    except ImportError as error:
        raise RecogniserUnavailableError(f"pocketsphinx is not installed ({error})") from error
    try:
        return Decoder(samprate=RATE, logfn="/dev/null", **config)
    except Exception as error:  # the model is missing or damaged: pocketsphinx raises RuntimeError
        raise RecogniserUnavailableError(f"the speech model did not load ({error})") from error


def _add_pronunciations(decoder: Any, extra: tuple[tuple[str, str], ...]) -> None:
    """Each (word, phones) as one more pronunciation of a word the dictionary has."""
    for word, phones in extra:
        if decoder.lookup_word(word) is None:
            continue  # not a word of this model's dictionary: nothing to add to
        n = 2
        while (known := decoder.lookup_word(f"{word}({n})")) is not None and known != phones:
            n += 1
        if known is None and decoder.lookup_word(word) != phones:
            decoder.add_word(f"{word}({n})", phones, False)


def _without_homophones(decoder: Any, filler: tuple[str, ...], words: set[str]) -> tuple[str, ...]:
    """``filler`` less the words that sound exactly like a command's word ("two", "to" for
    "too"): the filler would otherwise win half of every command with that word (Piper's
    "too loud" was heard as "two well")."""
    sounds = {decoder.lookup_word(w) for w in words} - {None}
    return tuple(w for w in filler if decoder.lookup_word(w) not in sounds)


class CommandRecogniser:
    """One utterance at a time: :meth:`start`, :meth:`feed` its 16 kHz 16-bit mono frames,
    :meth:`finish` (or :meth:`abort`). Not thread-safe: one listener thread owns it."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        *,
        filler_weight: float = FILLER_WEIGHT,
        word_penalty: float = WORD_PENALTY,
        min_speech_s: float = MIN_SPEECH_S,
        max_speech_s: float = MAX_SPEECH_S,
        reset_cmn: bool = False,
        batch: bool = True,
    ) -> None:
        self.vocabulary = vocabulary
        self._reset_cmn = reset_cmn
        self._batch = batch
        self._buffer: list[bytes] = []
        self.last_pcm = b""  # the last utterance searched (memory only; the diagnostic capture)
        self._min = min_speech_s
        self._max = max_speech_s
        self._decoder = _decoder(
            wip=word_penalty, bestpath=False, **({"cmn": "batch"} if batch else {})
        )
        _add_pronunciations(self._decoder, EXTRA_PRONUNCIATIONS)
        filler = _without_homophones(self._decoder, filler_for(vocabulary), vocabulary.words())
        grammar = jsgf(vocabulary, filler, filler_weight=filler_weight)
        self.grammar = grammar
        try:
            self._decoder.add_jsgf_string("commands", grammar)
            self._decoder.activate_search("commands")
        except Exception as error:  # a phrase with a word the dictionary lacks
            why = f"the command grammar did not load ({error})"
            raise RecogniserUnavailableError(why) from error
        self._bytes = 0
        self._open = False
        # Each utterance starts from the model's own cepstral mean, not from whatever the
        # last one (a cough, the room) left: the same words are heard the same way.
        self._cmn = self._decoder.get_cmn(False)

    def start(self) -> None:
        if self._open:
            self.abort()
        if self._reset_cmn:
            self._decoder.set_cmn(self._cmn)
        self._bytes = 0
        self._open = True
        self._buffer = []
        if not self._batch:
            self._decoder.start_utt()

    def feed(self, pcm: bytes) -> None:
        if not self._open:
            self.start()
        if self._batch:
            self._buffer.append(pcm)
        else:
            self._decoder.process_raw(pcm, False, False)
        self._bytes += len(pcm)

    def abort(self) -> None:
        if self._open:
            if not self._batch:
                self._decoder.end_utt()
            self._open = False
            self._buffer = []

    def finish(self) -> Heard:
        """The end of the utterance: what it was."""
        if not self._open:
            return Heard(None, "", 0.0)
        seconds = self._bytes / (2 * RATE)
        if seconds < self._min:  # a click, a clap: not worth the search
            self.abort()
            return Heard(None, "", seconds)
        if self._batch:
            self.last_pcm = b"".join(self._buffer)
            self._decoder.start_utt()
            self._decoder.process_raw(self.last_pcm, False, True)
            self._buffer = []
        self._decoder.end_utt()
        self._open = False
        hypothesis = self._decoder.hyp()
        text = hypothesis.hypstr if hypothesis is not None else ""
        command = self.vocabulary.command_for(text) if text else None
        if command is not None and seconds > self._max:
            command = None
        return Heard(command, text, seconds)

    def recognise(self, pcm: bytes) -> Heard:
        """One whole utterance at once (tests, tools)."""
        self.start()
        self.feed(pcm)
        return self.finish()


class KeywordSpotter:
    """The baseline: pocketsphinx's keyword search over the whole stream, no endpointing,
    no filler, one threshold for every phrase. :meth:`feed` returns the commands spotted."""

    def __init__(self, vocabulary: Vocabulary, *, threshold: float = KWS_THRESHOLD) -> None:
        self.vocabulary = vocabulary
        self._decoder = _decoder()
        phrases = [p for ps in vocabulary.phrases.values() for p in ps]
        keyphrases = "".join(f"{p} /{threshold:g}/\n" for p in dict.fromkeys(phrases))
        self._add_kws_file(keyphrases)
        self._decoder.activate_search("keywords")
        self._decoder.start_utt()

    def _add_kws_file(self, keyphrases: str) -> None:
        import tempfile

        with tempfile.NamedTemporaryFile("w", suffix=".kws") as f:
            f.write(keyphrases)
            f.flush()
            self._decoder.add_kws("keywords", f.name)

    def feed(self, pcm: bytes) -> list[Command]:
        self._decoder.process_raw(pcm, False, False)
        hypothesis = self._decoder.hyp()
        if hypothesis is None or not hypothesis.hypstr:
            return []
        # A keyword search reports what it spotted since the last restart.
        spotted = [self.vocabulary.command_for(hypothesis.hypstr)]
        self._decoder.end_utt()
        self._decoder.start_utt()
        return [c for c in spotted if c is not None]

    def close(self) -> None:
        self._decoder.end_utt()
