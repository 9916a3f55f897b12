"""One clinic day on the real kiosk window: :func:`run_day`, sampled as it goes.

The window is the kiosk as installed (fullscreen, only staff mode may close it) at 1280×800,
built by ``create_window`` on injected clocks: a :class:`FakeClock` that only the day moves,
and the wall clock it stands for, from 07:30 on :data:`TODAY`. Behind it, what a kiosk runs
on: a fresh SQLite file with the demo clinic (``KioskServices.open``), the session writer's
own thread and its journal, and the real voice (the cue scheduler, the WAV cache, pygame's
mixer on SDL's dummy device) with a fake synthesizer, the one part that would need espeak-ng
and take real seconds per phrase.

A day is a list of *slots*: one patient's visit, then what happens before the next patient (a
staff round, a run of wrong codes), then a few quiet minutes on the attract screen. After
every ``every`` slots the process is sampled (``tests/soak/probes.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.ui.shell.app import KioskOptions, create_window, ensure_application, show_window
from kiosk.ui.timers import TimerFactory
from tests.soak import probes
from tests.soak.kiosk import Kiosk, wait_until
from tests.soak.visits import ROUND, STAFF_AFTER, Visit, check_in_and_cancel, lockout, staff_round
from tests.voice.fakes import FakeSynth
from voice.cache import WavCache
from voice.output import AudioOutput, open_output
from voice.renderer import Renderer
from voice.service import VoiceService
from voice.settings import VoiceSettings

TODAY = date(2026, 3, 2)
DAY_START = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
#: Quiet minutes on the attract screen between two patients.
GAP_S = 240.0
#: The check-in lockout happens once, after this visit.
LOCKOUT_AFTER = 15
SCREEN = (1280, 800)

Slot = tuple[Visit, ...]


def clinic_day(visits: int) -> list[Slot]:
    """``visits`` visits round after round; staff look in half-way through each round (every
    other time they leave staff mode to lock itself); the wrong codes come once."""
    slots: list[Slot] = []
    for n in range(1, visits + 1):
        slot: list[Visit] = [ROUND[(n - 1) % len(ROUND)]]
        done_rounds, in_round = divmod(n, len(ROUND))
        if in_round == STAFF_AFTER:
            slot.append(partial(staff_round, idle_lock=done_rounds % 2 == 1))
        if n == LOCKOUT_AFTER:
            slot.append(lockout)
        slots.append(tuple(slot))
    return slots


def baseline_day(visits: int) -> list[Slot]:
    """The same number of visits, each checking in and going back: no session."""
    return [(check_in_and_cancel,)] * visits


@dataclass
class DayResult:
    samples: list[probes.Sample] = field(default_factory=list)
    tally: dict[str, int] = field(default_factory=dict)
    real_s: float = 0.0
    ended_at: str = ""  # the clinic's time when the last patient had gone


def _voice(cache_dir: Path, output: Callable[[], AudioOutput]) -> VoiceService:
    renderer = Renderer(WavCache(cache_dir, max_bytes=10**8), [FakeSynth()])
    return VoiceService(VoiceSettings(), output(), renderer)


def run_day(
    slots: Sequence[Slot],
    workdir: Path,
    *,
    every: int,
    timers: TimerFactory | None = None,
    output: Callable[[], AudioOutput] = open_output,
) -> DayResult:
    """Open the kiosk on a new demo database in ``workdir``, live through ``slots``, close it.

    Needs ``TZ`` to be UTC (the clinic's day is the local day) and Qt on a platform without a
    screen or with one; a QApplication is made if there is none. ``output`` is the sound
    device: pygame's mixer is process-wide, so a test passes a stand-in.
    """
    ensure_application()
    clock = FakeClock(start=1000.0)

    def wall_clock() -> datetime:
        return DAY_START + timedelta(seconds=clock() - 1000.0)

    services = KioskServices.open(
        f"sqlite:///{workdir / 'clinic-day.sqlite3'}",
        create=True,
        demo_data=True,
        today=lambda: TODAY,
    )
    options = KioskOptions(fullscreen=True, size=SCREEN)
    window = create_window(
        options,
        clock=clock,
        wall_clock=wall_clock,
        services=services,
        timers=timers or TimerFactory(),
        voice=partial(_voice, workdir / "voice-cache", output),
    )
    result = DayResult()
    started = time.monotonic()
    try:
        show_window(window, options)
        wait_until(lambda: window.started_up, "the kiosk starting up")
        voice = window.voice
        wait_until(lambda: voice is not None and voice.service is not None, "the voice")
        assert voice is not None
        assert voice.service is not None
        voice.service.warm_job.wait(30.0)  # the common phrases, rendered at start-up
        kiosk = Kiosk(window, clock, services)

        def sample(visits: int) -> None:
            probes.settle()
            result.samples.append(probes.take(visits, f"{wall_clock():%H:%M}", services.database))

        sample(0)
        for n, slot in enumerate(slots, start=1):
            for part in slot:
                part(kiosk)
            result.ended_at = f"{wall_clock():%H:%M}"
            kiosk.wait(GAP_S)
            if n % every == 0 or n == len(slots):
                sample(n)
        result.tally = dict(kiosk.tally)
    finally:
        window.close_now()
        window.deleteLater()
        services.close()
        probes.settle()
        result.real_s = time.monotonic() - started
    return result
