"""``kiosk rehearse``: argument errors, and one real rehearsal recorded through the disk driver.

The real rehearsal runs in a subprocess (SDL picks its audio driver once per process) and in
real time: about 18 s, the one slow test of the voice. It checks the issue's "done when": the
recording has every cue at its moment (the 3-2-1 pips and go, the end-of-hold tone at the end
of the hold), the session was checked in and its set logged like a real one.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from db.repositories.sessions import SessionLog
from kiosk.cli import main
from kiosk.cli.rehearse import saved_line
from kiosk.core.records import SetRecord, SetStatus
from kiosk.core.timeline import Tone
from kiosk.patient.writes import LogSet, SessionRef
from kiosk.services import KioskServices
from tests.paths import REPO_ROOT
from tests.patient.faults import Lock, first_problem
from voice.output import FREQUENCY
from voice.wav import first_loud_frame, read_wav

TOM = "716254"  # demo: standing lateral leg raise, standing wall press, functional clamshell
ANN = "551937"  # demo: clamshell only
BUDGET_S = 0.025


@pytest.fixture
def demo_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    KioskServices.open(url, create=True, demo_data=True, today=date.today).close()
    return url


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(["rehearse", *argv])
    assert exit_info.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["no-such-exercise"], "no exercise with id 'no-such-exercise'"),
        (["standing-wall-press", "--reps", "5"], "hold exercise: use --hold"),
        (
            ["clamshell", "--sets", "0"],
            "argument --sets: must be a whole number from 1 to 10, got 0",
        ),
        (["clamshell", "--sides", "both"], "invalid choice"),
        (["clamshell", "--record", "out.mp3"], "needs a .wav file"),
        (["clamshell", "--record", "/no/such/dir/out.wav"], "no such directory"),
        (["clamshell", "--code", "12ab"], "check-in code must be"),
    ],
)
def test_bad_arguments_say_why_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert message in usage_error(capsys, *argv)


def test_a_code_must_belong_to_a_patient_with_the_exercise_today(
    capsys: pytest.CaptureFixture[str], demo_db: str
) -> None:
    err = usage_error(capsys, "clamshell", "--code", "999999", "--db", demo_db)
    assert "no patient with check-in code '999999'" in err
    err = usage_error(capsys, "standing-wall-press", "--code", ANN, "--db", demo_db)
    assert "not in this patient's program today (clamshell)" in err


@pytest.mark.slow
def test_a_recorded_rehearsal_has_every_cue_at_its_moment_and_logs_the_set(
    tmp_path: Path, demo_db: str
) -> None:
    wav = tmp_path / "wall-press.wav"
    argv = ["rehearse", "standing-wall-press", "--sets", "1", "--hold", "2", "--sides", "none",
            "--code", TOM, "--db", demo_db, "--record", str(wav)]  # fmt: skip
    env = dict(os.environ)  # the voice cache and config: the test's own (conftest)
    env["KIOSK_REHEARSE_CUE_TIMES"] = str(tmp_path / "cues.json")  # what the sound bench reads
    child = subprocess.run(
        [sys.executable, "-c", "import sys; from kiosk.cli import main; sys.exit(main())", *argv],
        capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=90, check=False,
    )  # fmt: skip
    assert child.returncode == 0, child.stderr
    assert child.stderr == ""  # SDL's disk-driver warnings are kept off the terminal
    printed = re.findall(r"^\s*([\d.]+)s\s+([\d.]+)s\s+\+[\d.]+ms\s+(.*)$", child.stdout, re.M)
    cues = [(float(at), float(actual), what) for at, actual, what in printed]
    whats = [what for _, _, what in cues]
    assert whats.count("[pip]") == 3
    assert whats.count("[go]") == 1
    assert whats.count("[hold_end]") == 1
    assert '"Hold"' in whats
    assert all("(" not in what for what in whats), child.stdout  # nothing dropped or missing
    # Never before its moment. How late the engine noticed it is not what is heard (each was
    # placed ahead on its frame); the recording's onsets below are, and a busy machine (CI
    # beside a screenshot run) delays a notice past any fixed bound.
    assert all(actual >= at for at, actual, _ in cues)
    assert "saved 1 set(s) for Tom" in child.stdout
    # Each cue's wall-clock moment, for bench/sound_server.py: one per cue, in order.
    rows = json.loads((tmp_path / "cues.json").read_text())
    assert [row["at_s"] for row in rows] == pytest.approx([at for at, _, _ in cues], abs=1e-3)
    walls = [row["wall"] for row in rows]
    assert walls == sorted(walls)
    assert walls[-1] - walls[0] > 1.0
    assert {row["action"] for row in rows} == {"played"}

    pcm = read_wav(wav)
    assert (pcm.rate, pcm.channels) == (FREQUENCY, 2)
    tones: dict[Tone, list[float]] = {Tone(w.strip("[]")): [] for _, _, w in cues if w[0] == "["}
    for at, _, what in cues:
        if what.startswith("["):
            tones[Tone(what.strip("[]"))].append(at)
    end = cues[-1][0]
    assert pcm.seconds > end  # the whole session is in the file
    measured = 0
    for at, _, what in cues:
        start = int(at * pcm.rate)
        before = first_loud_frame(pcm, start - int(0.03 * pcm.rate), end_frame=start)
        if before is not None:  # speech still running into this moment: no clean onset
            assert not what.startswith("["), f"{what} at {at} s: not quiet just before"
            continue
        measured += 1
        onset = first_loud_frame(pcm, start)
        assert onset is not None
        late = onset / pcm.rate - at
        assert 0 <= late <= BUDGET_S, (
            f"{what} due at {at:.3f} s was heard {late * 1000:.1f} ms late"
        )
    assert measured >= len(cues) - 2
    hold_start = tones[Tone.GO][0]
    assert tones[Tone.HOLD_END] == [pytest.approx(hold_start + 2.0)]  # at the end of the hold
    assert [b - a for a, b in zip(tones[Tone.PIP], tones[Tone.PIP][1:], strict=False)] == [
        pytest.approx(1.0),
        pytest.approx(1.0),
    ]
    assert tones[Tone.GO] == [pytest.approx(tones[Tone.PIP][-1] + 1.0)]

    services = KioskServices.open(demo_db)
    try:
        (record,) = SessionLog(services.database).sets_for(1)
    finally:
        services.close()
    assert (record.exercise_index, record.exercise_id) == (1, "standing-wall-press")
    assert (record.hold_target_s, record.hold_done_s, record.status) == (
        2.0,
        2.0,
        SetStatus.COMPLETED,
    )


def test_a_rehearsal_says_saved_only_for_what_the_database_has(
    tmp_path: Path, fast_retries: None
) -> None:
    """The report line after a session: "saved" is what the database holds, and what only
    waits is said to wait (it used to say "logged 3 set(s)" with two of them lost)."""
    url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    services = KioskServices.open(url, demo_data=True, today=date.today, create=True)
    try:
        assert saved_line(2, "Ann", services) == "saved 2 set(s) for Ann"
        session = SessionLog(services.database).start(1, 1, datetime.now(UTC))
        lock = Lock(tmp_path / "kiosk.sqlite3")
        record = SetRecord(0, "clamshell", 1, None, 3, 3, None, None, datetime.now(UTC),
                           datetime.now(UTC), 0.0, SetStatus.COMPLETED)  # fmt: skip
        services.writer.submit(LogSet(SessionRef("s", session), record))
        first_problem(services.writer)
        line = saved_line(2, "Ann", services)
        assert line.startswith("saved 1 of 2 set(s) for Ann; 1 waiting to be saved (")
        assert "locked" in line
        assert str(tmp_path / "kiosk.pending.jsonl") in line
        lock.release()
        assert services.writer.wait_idle(10.0)
        assert saved_line(2, "Ann", services) == "saved 2 set(s) for Ann"
    finally:
        services.close()
