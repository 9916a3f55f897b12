"""``voice_cmd_*``: spoken commands on this machine's CPU, on a corpus generated in this run.

The corpus (:mod:`bench.voice_corpus`): every phrase of the catalog's commands in every
synthetic voice here, clean, in room noise (SNR about 20 dB) and over the kiosk's
own narration; and negative audio — the narration of a whole program in both voices with a
room's echo, other speech, counting aloud, coughs and claps. Everything goes through the
kiosk's real path: :class:`voice.listening.Listener` (endpointer, gate) and
:class:`voice.recogniser.CommandRecogniser` (grammar with filler, length limits), fed from a
:class:`voice.listening.PcmSource` exactly as the microphone feeds it.

Beside each figure, the baseline measured on the same audio in the same run: pocketsphinx's
plain keyword spotting (:class:`voice.recogniser.KeywordSpotter`), no endpointing, no filler.

* recognised: the utterance gave exactly its own command, nothing else;
* false accepts per hour of negative audio (all commands; and "stop session"/"next exercise"
  alone, the two that cost a patient most — a "stop" still needs a "yes" to end anything);
* utterance end → action: stream time from the end of the speech to the listener's decision
  plus the wall time of the decoding after it (p50, p95).

``python -m bench.voice_commands --tune`` sweeps the filler weight and the word penalty;
``--phrases`` measures candidate phrasings (how the catalog's were chosen, docs/voice.md).
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bench import voice_corpus as corpus
from bench.report import Figure, median, percentile
from voice.commands import Command, Vocabulary
from voice.listening import Listener, PcmSource, Utterance
from voice.recogniser import RATE, CommandRecogniser, KeywordSpotter

SPEECH_DB = -22.0  # a voice a metre or two from the microphone
LEAD_S = 0.4
TAIL_S = 0.8
#: "clean": a quiet room (no microphone gives digital silence; the endpointer and the
#: recogniser misjudge it), speech about 38 dB above it.
CONDITIONS = (("clean", -60.0), ("noise 20 dB", -42.0))
NARRATION_UNDER_DB = -30.0  # the kiosk speaking while the patient does (SNR about 8 dB)


@dataclass
class Segment:
    """One stretch of a stream: a command said (``command``), or negative audio (None)."""

    start_s: float
    end_s: float
    speech_end_s: float
    command: Command | None
    label: str


@dataclass
class Stream:
    audio: list[np.ndarray] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    playing: list[tuple[float, float]] = field(default_factory=list)  # our own voice
    length: int = 0

    def add(self, audio: np.ndarray) -> float:
        start = self.length / RATE
        self.audio.append(audio)
        self.length += len(audio)
        return start

    def pcm(self) -> bytes:
        return corpus.pcm(np.concatenate(self.audio)) if self.audio else b""

    @property
    def seconds(self) -> float:
        return self.length / RATE

    def gate(self) -> Callable[[float], bool]:
        spans = sorted(self.playing)

        def playing(at: float) -> bool:
            return any(a <= at < b for a, b in spans)

        return playing


def _command_stream(
    clips: Sequence[tuple[Command, corpus.Clip]],
    noise_db: float | None,
    rng: np.random.Generator,
    under: np.ndarray | None = None,
) -> Stream:
    stream = Stream()
    for command, clip in clips:
        speech = corpus.scale_to(clip.audio, SPEECH_DB)
        body = np.concatenate([np.zeros(int(LEAD_S * RATE)), speech, np.zeros(int(TAIL_S * RATE))])
        if under is not None:
            offset = int(rng.integers(0, max(1, len(under) - len(body))))
            body = body + corpus.scale_to(under[offset : offset + len(body)], NARRATION_UNDER_DB)
        if noise_db is not None:
            body = body + corpus.room_noise(len(body), rng, noise_db)
        start = stream.add(body)
        stream.segments.append(
            Segment(
                start,
                start + len(body) / RATE,
                start + LEAD_S + len(speech) / RATE,
                command,
                f"{clip.text} / {clip.voice}",
            )
        )
    return stream


def _negative_stream(
    label: str, parts: Sequence[np.ndarray], rng: np.random.Generator, *, ours: bool = False
) -> Stream:
    """``parts`` one after another with pauses, in room noise; ``ours``: the kiosk's own voice,
    heard through a room's echo, its playing times known (for the gate)."""
    stream = Stream()
    for part in parts:
        gap = np.zeros(int(rng.uniform(0.5, 1.5) * RATE))
        level = -20.0 if ours else SPEECH_DB + rng.uniform(-4, 4)
        sound = corpus.scale_to(part, level)
        if ours:
            sound = corpus.echo(np.concatenate([sound, np.zeros(int(0.2 * RATE))]))
        start = stream.add(gap)
        at = stream.add(sound)
        if ours:
            stream.playing.append((at, at + len(part) / RATE))
        stream.segments.append(Segment(start, stream.seconds, stream.seconds, None, label))
    full = np.concatenate(stream.audio)
    full = full + corpus.room_noise(len(full), rng, -50.0)
    stream.audio = [full]
    return stream


@dataclass
class Result:
    accepted: list[tuple[Command, float, float]]  # command, stream time decided, latency s
    heard: int


def run_ours(stream: Stream, recogniser: CommandRecogniser, *, gated: bool = False) -> Result:
    utterances: list[Utterance] = []
    listener = Listener(
        PcmSource(stream.pcm()),
        recogniser,
        on_heard=utterances.append,
        gate=stream.gate() if gated else None,
    )
    listener.run()
    accepted = []
    for u in utterances:
        if u.heard.command is not None:
            accepted.append((u.heard.command, u.decided_s, u.decode_s))
    return Result(accepted, len(utterances))


def run_baseline(stream: Stream, spotter: KeywordSpotter) -> Result:
    data = stream.pcm()
    step = 2 * PcmSource.CHUNK
    accepted = []
    for at in range(0, len(data), step):
        started = time.perf_counter()
        spotted = spotter.feed(data[at : at + step])
        wall = time.perf_counter() - started
        for command in spotted:
            accepted.append((command, (at + step) / (2 * RATE), wall))
    return Result(accepted, len(accepted))


@dataclass
class Score:
    recognised: int = 0
    total: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    by_label: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    @property
    def pct(self) -> float:
        return 100.0 * self.recognised / max(1, self.total)


def score(stream: Stream, result: Result, into: Score | None = None) -> Score:
    out = into if into is not None else Score()
    per_segment: dict[int, list[tuple[Command, float, float]]] = defaultdict(list)
    for command, decided, wall in result.accepted:
        for i, seg in enumerate(stream.segments):
            if seg.start_s <= decided < seg.end_s + 0.3:
                per_segment[i].append((command, decided, wall))
                break
    for i, seg in enumerate(stream.segments):
        got = per_segment.get(i, [])
        ok = [g for g in got if g[0] is seg.command]
        right = len(ok) >= 1 and len(got) == len(ok)
        out.total += 1
        out.recognised += right
        phrase = seg.label.split(" / ")[0]
        out.by_label[phrase][0] += right
        out.by_label[phrase][1] += 1
        if right:
            _, decided, wall = ok[0]
            out.latencies_ms.append(max(0.0, decided - seg.speech_end_s + wall) * 1000)
        elif len(out.misses) < 200:
            out.misses.append(f"{seg.label} → {[g[0].value for g in got]}")
    return out


@dataclass
class Corpus:
    positives: dict[str, Stream]
    negatives: dict[str, Stream]
    voices: list[str]


#: The phrasings tried when the catalog's were chosen (``--phrases``; docs/voice.md).
CANDIDATES: dict[Command, tuple[str, ...]] = {
    Command.PAUSE: ("pause", "wait", "hold on"),
    Command.RESUME: ("carry on", "continue", "keep going"),
    Command.NEXT: ("next exercise", "next one"),
    Command.REPEAT: ("say again", "repeat", "say that again", "once more"),
    Command.HURTS: ("it hurts", "help", "that hurts", "ouch"),
    Command.STOP: ("stop session", "end session"),
    Command.YES: ("yes", "yes please"),
    Command.LOUDER: ("louder", "speak up", "louder please"),
    Command.QUIETER: ("quieter", "too loud", "softer"),
    Command.SLOWER: ("slower", "slow down", "more slowly"),
    Command.FASTER: ("faster", "speed up", "quicker"),
}


def build(vocabulary: Vocabulary, seed: int = 15) -> Corpus:
    from bench.intelligibility import _program_texts

    rng = np.random.default_rng(seed)
    with corpus.voices() as v:
        names = v.names
        clips = [
            (command, v.say(phrase, name))
            for command, phrases in vocabulary.phrases.items()
            for phrase in phrases
            for name in names
        ]
        narration_voices = [n for n in ("piper@150", "en-us@150/p50") if n in names]
        narration = [v.say(text, n).audio for n in narration_voices for text in _program_texts()]
        other = [v.say(text, n).audio for n in names[::3] for text in corpus.OTHER_SPEECH]
        counting = [v.say(text, n).audio for n in names[::4] for text in corpus.COUNTING]
    under = np.concatenate([corpus.echo(a) for a in narration[:20]])
    positives = {label: _command_stream(clips, noise, rng) for label, noise in CONDITIONS}
    positives["over narration"] = _command_stream(clips[::3], -50.0, rng, under)
    noises = [corpus.cough(rng) for _ in range(12)] + [corpus.claps(rng) for _ in range(12)]
    negatives = {
        "kiosk narration": _negative_stream("narration", narration, rng, ours=True),
        "other speech": _negative_stream("other speech", other, rng),
        "counting aloud": _negative_stream("counting", counting, rng),
        "coughs, claps": _negative_stream("coughs, claps", noises, rng),
    }
    return Corpus(positives, negatives, names)


def _fa(results: dict[str, Result]) -> tuple[int, int]:
    every = sum(len(r.accepted) for r in results.values())
    costly = sum(
        1 for r in results.values() for c, _, _ in r.accepted if c in (Command.STOP, Command.NEXT)
    )
    return every, costly


def measure(vocabulary: Vocabulary, data: Corpus, **tuning: Any) -> dict[str, object]:
    recogniser = CommandRecogniser(vocabulary, **tuning)
    spotter = KeywordSpotter(vocabulary)
    ours = {k: score(s, run_ours(s, recogniser)) for k, s in data.positives.items()}
    # The baseline on the clean commands only (its figure), to keep make bench short.
    base = {"clean": score(data.positives["clean"], run_baseline(data.positives["clean"], spotter))}
    neg_ours = {k: run_ours(s, recogniser) for k, s in data.negatives.items()}
    neg_gated = run_ours(data.negatives["kiosk narration"], recogniser, gated=True)
    neg_base = {k: run_baseline(s, spotter) for k, s in data.negatives.items()}
    spotter.close()
    hours = sum(s.seconds for s in data.negatives.values()) / 3600
    return {
        "ours": ours,
        "base": base,
        "neg_ours": neg_ours,
        "neg_gated": neg_gated,
        "neg_base": neg_base,
        "hours": hours,
    }


def _print(data: Corpus, m: dict[str, object]) -> None:
    ours: dict[str, Score] = m["ours"]  # type: ignore[assignment]
    base: dict[str, Score] = m["base"]  # type: ignore[assignment]
    neg_ours: dict[str, Result] = m["neg_ours"]  # type: ignore[assignment]
    neg_base: dict[str, Result] = m["neg_base"]  # type: ignore[assignment]
    gated: Result = m["neg_gated"]  # type: ignore[assignment]
    print(f"  voices: {', '.join(data.voices)}")
    print(f"  {'recognised %':<18}{'ours':>7}{'keyword baseline':>18}{'utterances':>12}")
    for label in ours:
        o = ours[label]
        b = f"{base[label].pct:.1f}" if label in base else "-"
        print(f"  {label:<18}{o.pct:>7.1f}{b:>18}{o.total:>12}")
    print(
        "  clean, per phrase (ours): "
        + ", ".join(f"{p} {a}/{n}" for p, (a, n) in sorted(ours["clean"].by_label.items()))
    )
    per_voice: Counter[str] = Counter()
    voice_total: Counter[str] = Counter()
    stream = data.positives["clean"]
    for seg in stream.segments:
        voice_total[seg.label.split(" / ")[1]] += 1
    for miss in ours["clean"].misses:
        per_voice[miss.split(" / ")[1].split(" → ")[0]] += 1
    print(
        "  clean, per voice (ours): "
        + ", ".join(f"{v} {voice_total[v] - per_voice[v]}/{voice_total[v]}" for v in voice_total)
    )
    for miss in ours["clean"].misses[:6]:
        print(f"    missed: {miss}")
    print(f"  {'false accepts':<18}{'minutes':>8}{'ours':>6}{'gated':>7}{'baseline':>10}")
    for label, stream in data.negatives.items():
        g = str(len(gated.accepted)) if label == "kiosk narration" else "-"
        print(
            f"  {label:<18}{stream.seconds / 60:>8.1f}{len(neg_ours[label].accepted):>6}"
            f"{g:>7}{len(neg_base[label].accepted):>10}"
        )
        for c, at, _ in neg_ours[label].accepted[:3]:
            print(f"    ours took {c.value!r} at {at:.1f} s")
    lat = ours["clean"].latencies_ms
    blat = base["clean"].latencies_ms or [0.0]
    print(
        f"  utterance end → action ms: ours p50 {median(lat):.0f} p95 {percentile(lat, 95):.0f}; "
        f"baseline p50 {median(blat):.0f} p95 {percentile(blat, 95):.0f}"
    )


def run() -> list[Figure]:
    from kiosk.text import t

    vocabulary = Vocabulary.from_catalog(t)
    started = time.perf_counter()
    data = build(vocabulary)
    built = time.perf_counter() - started
    m = measure(vocabulary, data)
    measured = time.perf_counter() - started - built
    print(f"  corpus built in {built:.0f} s, measured in {measured:.0f} s")
    _print(data, m)
    ours: dict[str, Score] = m["ours"]  # type: ignore[assignment]
    base: dict[str, Score] = m["base"]  # type: ignore[assignment]
    hours: float = m["hours"]  # type: ignore[assignment]
    every, costly = _fa(m["neg_ours"])  # type: ignore[arg-type]
    b_every, b_costly = _fa(m["neg_base"])  # type: ignore[arg-type]
    # As the kiosk runs: deaf while its own narration plays (the other material is not ours).
    neg_ours: dict[str, Result] = m["neg_ours"]  # type: ignore[assignment]
    gated: Result = m["neg_gated"]  # type: ignore[assignment]
    _, costly_gated = _fa({**neg_ours, "kiosk narration": gated})
    label = "pocketsphinx keyword spotting, same audio, same run"
    lat, blat = ours["clean"].latencies_ms, base["clean"].latencies_ms or [0.0]
    return [
        Figure(
            "voice_cmd_recognised_pct",
            ours["clean"].pct,
            "%",
            base["clean"].pct,
            label,
            "≥ 95 % (clean corpus)",
        ),
        Figure(
            "voice_cmd_false_stop_next_per_h",
            costly / hours,
            "/h",
            b_costly / hours,
            label,
            # The kiosk never listens while it speaks: the budget is the gated figure's.
            f"- (ungated: the kiosk's own narration heard too; {hours * 60:.0f} min of audio)",
        ),
        Figure(
            "voice_cmd_false_stop_next_per_h_gated",
            costly_gated / hours,
            "/h",
            b_costly / hours,
            label + " (ungated)",
            f"≤ 1 /h (the narration gated, as the kiosk runs; {hours * 60:.0f} min of audio)",
        ),
        Figure(
            "voice_cmd_false_accepts_per_h",
            every / hours,
            "/h",
            b_every / hours,
            label,
            "no budget: a false pause costs a tap",
        ),
        Figure(
            "voice_cmd_action_ms_p95",
            percentile(lat, 95),
            "ms",
            percentile(blat, 95),
            label,
            "≤ 400 ms",
        ),
    ]


def tune() -> None:
    from kiosk.text import t

    vocabulary = Vocabulary.from_catalog(t)
    data = build(vocabulary)
    for filler in (0.1, 1.0, 10.0):
        for penalty in (0.65, 0.2, 0.05, 0.01):
            m = measure(vocabulary, data, filler_weight=filler, word_penalty=penalty)
            ours: dict[str, Score] = m["ours"]  # type: ignore[assignment]
            every, costly = _fa(m["neg_ours"])  # type: ignore[arg-type]
            print(
                f"filler {filler:g} penalty {penalty:g}: "
                + ", ".join(f"{k} {s.pct:.1f}%" for k, s in ours.items())
                + f"; false accepts {every} (stop/next {costly}) in "
                f"{m['hours'] * 60:.0f} min"  # type: ignore[operator]
            )


def phrases() -> None:
    """Every candidate phrasing in every voice, in a quiet room: recognised how often."""
    vocabulary = Vocabulary(CANDIDATES)
    rng = np.random.default_rng(15)
    with corpus.voices() as v:
        clips = [
            (command, v.say(phrase, name))
            for command, options in CANDIDATES.items()
            for phrase in options
            for name in v.names
        ]
    stream = _command_stream(clips, CONDITIONS[0][1], rng)
    result = score(stream, run_ours(stream, CommandRecogniser(vocabulary)))
    for phrase, (right, total) in sorted(result.by_label.items(), key=lambda kv: -kv[1][0]):
        print(f"  {phrase:<16}{right}/{total}")


if __name__ == "__main__":
    if "--tune" in sys.argv:
        tune()
    elif "--phrases" in sys.argv:
        phrases()
    else:
        from bench.report import print_and_save

        print_and_save(run())
