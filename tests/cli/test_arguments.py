"""``kiosk.cli.arguments`` (issue 11): every number the ``kiosk`` command takes is bounded and
refused while it is parsed, and ``rehearse --record`` is refused at once where no file can be
written.

The refusals run in-process with values that were harmless before the bounds (a few over the
top, negative, not a number); the values that ran out of memory, hung or painted for 40 s run
in a child process with a memory cap and a timeout, which must show the refusal came before
the handler imported anything it would have used. So do the unwritable recordings: before the
check, a whole session ran first.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.cli import build_parser, main
from kiosk.cli.arguments import cannot_write
from kiosk.core.program_builder import LIMITS, Limit
from tests.paths import REPO_ROOT

HUGE = "9" * 100_000  # past Python's 4300-digit limit on int(): must not even be converted


@pytest.fixture(autouse=True)
def no_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rehearsal that got as far as its session fails the test instead of running it."""

    def session_started(*_args: object, **_kwargs: object) -> int:
        raise AssertionError("the rehearsal's session started")

    monkeypatch.setattr("kiosk.cli.rehearse.rehearse", session_started)


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The error line of a usage error: exit code 2, the usage above it, nothing on stdout."""
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("usage: ")
    return err.splitlines()[-1]


#: Each dose option: what it must be, and values it refuses as its message repeats them (quoted:
#: not a number at all).
REFUSED_DOSES = {
    "--sets": ("a whole number from 1 to 10", "11 0 -3 'two' '2.5'"),
    "--reps": ("a whole number from 1 to 50", "51 0 'ten'"),
    "--hold": ("a number from 1 to 300 s", "301 0 -1 nan inf 'long'"),
    "--rest": ("a number from 0 to 600 s", "601 -5 1e400 'soon'"),
}
DOSES = [
    (option, shown.strip("'"), f"must be {what}, got {shown}")
    for option, (what, values) in REFUSED_DOSES.items()
    for shown in values.split()
] + [("--sets", HUGE, "must be a whole number from 1 to 10, got '99999999999999999999'... "
      "(100000 characters)")]  # fmt: skip


@pytest.mark.parametrize("command", ["timeline", "rehearse"])
@pytest.mark.parametrize(("option", "value", "message"), DOSES)
def test_a_dose_out_of_the_builders_limits_is_refused(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str, message: str
) -> None:
    line = refused(capsys, command, "clamshell", option, value)
    assert line == f"kiosk {command}: error: argument {option}: {message}"


def test_the_dose_limits_are_the_builders(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(LIMITS, "sets", Limit(1, 3))
    monkeypatch.setitem(LIMITS, "rest_s", Limit(0, 30, " s"))
    monkeypatch.setitem(LIMITS, "reps", Limit(1, 60))
    assert refused(capsys, "timeline", "clamshell", "--sets", "4").endswith(
        "argument --sets: must be a whole number from 1 to 3, got 4"
    )
    assert refused(capsys, "rehearse", "clamshell", "--rest", "31").endswith(
        "argument --rest: must be a number from 0 to 30 s, got 31"
    )
    assert main(["timeline", "clamshell", "--reps", "55", "--json"]) == 0  # wider: taken too
    capsys.readouterr()


def test_each_end_of_each_dose_limit_is_taken(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    ends = {"--sets": "sets", "--reps": "reps", "--hold": "hold_s", "--rest": "rest_s"}
    for end in ("low", "high"):
        argv = ["timeline", "clamshell"]
        for option, field in ends.items():
            argv += [option, f"{getattr(LIMITS[field], end):g}"]
        args = parser.parse_args(argv)
        assert [getattr(args, o[2:]) for o in ends] == [
            getattr(LIMITS[f], end) for f in ends.values()
        ]
    # The most the builder allows still compiles.
    argv = ["timeline", "clamshell", "--sets", "10", "--reps", "50", "--rest", "600"]
    assert main([*argv, "--sides", "each", "--json"]) == 0
    capsys.readouterr()


SIZES = [
    ("3841x2160", "got 3841x2160"),
    ("3840x2161", "got 3840x2161"),
    ("319x240", "got 319x240"),
    ("320x239", "got 320x239"),
    ("800x-600", "got 800x-600"),
    ("0x0", "got 0x0"),
    ("huge", "got 'huge'"),
    ("800x600x2", "got '800x600x2'"),
    (HUGE + "x600", "got '99999999999999999999'... (100004 characters)"),
]


@pytest.mark.parametrize(("size", "given"), SIZES)
def test_a_demo_size_out_of_range_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, qapp: QApplication, size: str, given: str
) -> None:
    out = tmp_path / "x.png"
    line = refused(capsys, "demo", "clamshell", "--out", str(out), "--size", size)
    assert line == (
        f"kiosk demo: error: argument --size: must be WIDTHxHEIGHT from 320x240 to 3840x2160, "
        f"{given}"
    )
    assert not out.exists()


@pytest.mark.parametrize(("size", "given"), SIZES)
def test_a_window_size_out_of_range_is_refused(
    capsys: pytest.CaptureFixture[str], size: str, given: str
) -> None:
    line = refused(capsys, "--size", size, "library", "list")
    assert line == (
        f"kiosk: error: argument --size: must be WIDTHxHEIGHT from 320x240 to 3840x2160, {given}"
    )


def test_the_ends_of_the_size_range_are_taken() -> None:
    parser = build_parser()
    for size, expected in (("320x240", (320, 240)), ("3840x2160", (3840, 2160))):
        assert parser.parse_args(["--size", size]).size == expected
        demo = parser.parse_args(["demo", "clamshell", "--out", "x.png", "--size", size])
        assert demo.size == expected


@pytest.mark.parametrize(
    ("value", "given"),
    [
        ("1.5", "got 1.5"),
        ("-0.1", "got -0.1"),
        ("nan", "got nan"),
        ("inf", "got inf"),
        ("half", "got 'half'"),
        (HUGE, "got '99999999999999999999'... (100000 characters)"),
    ],
)
def test_a_demo_progress_out_of_range_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, qapp: QApplication, value: str, given: str
) -> None:
    out = tmp_path / "x.png"
    line = refused(capsys, "demo", "clamshell", "--out", str(out), "--progress", value)
    assert line == f"kiosk demo: error: argument --progress: must be a number from 0 to 1, {given}"
    assert not out.exists()


DATES = [
    ("9999-12-31", "got 9999-12-31"),
    ("0001-01-01", "got 0001-01-01"),
    ("1999-12-31", "got 1999-12-31"),
    ("2100-01-01", "got 2100-01-01"),
    ("yesterday", "got 'yesterday'"),
    ("2025-02-30", "got '2025-02-30'"),
    (HUGE, "got '99999999999999999999'... (100000 characters)"),
]
DATE_RANGE = "must be a date as YYYY-MM-DD from 2000-01-01 to 2099-12-31"


@pytest.mark.parametrize(("day", "given"), DATES)
def test_a_day_out_of_range_is_refused_by_every_command_that_takes_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, day: str, given: str
) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'clinic.sqlite3'}"]
    csv = ["--csv", str(tmp_path / "report.csv")]
    commands = [
        (["today", "--date", day, *db], "today", "--date"),
        (["handout", "716254", "--out", str(tmp_path / "h.pdf"), "--date", day, *db],
         "handout", "--date"),
        (["report", "--from", day, "--to", "2025-03-01", *csv, *db], "report", "--from"),
        (["report", "--from", "2025-03-01", "--to", day, *csv, *db], "report", "--to"),
    ]  # fmt: skip
    for argv, command, option in commands:
        line = refused(capsys, *argv)
        assert line == f"kiosk {command}: error: argument {option}: {DATE_RANGE}, {given}"
    assert not (tmp_path / "clinic.sqlite3").exists()  # refused before the database was opened


# In a child process: the arguments that ran out of memory, hung or painted for 40 seconds.
CHILD = """
import resource, sys
cap = 2 * 1024**3  # before the bounds, --sets 1e23 took all the machine's memory
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from kiosk.cli import main
try:
    main(sys.argv[1:])
finally:
    heavy = ("kiosk.core.compiler", "media.loader", "media.demo.renderer", "PySide6.QtGui",
             "voice.service")
    print("LOADED", [m for m in heavy if m in sys.modules], flush=True)
"""


def run_child(*argv: str, before: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """``kiosk ARGV`` in a child process; ``before``: a command that then runs it."""
    return subprocess.run(
        [*before, sys.executable, "-c", CHILD, *argv],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=30, check=False,
    )  # fmt: skip


def loaded(child: subprocess.CompletedProcess[str]) -> set[str]:
    """Which of the child's heavy modules it had imported when it ended."""
    (line,) = (line for line in child.stdout.splitlines() if line.startswith("LOADED "))
    return set(ast.literal_eval(line.removeprefix("LOADED ")))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["timeline", "clamshell", "--sets", "99999999999999999999999"],
         "kiosk timeline: error: argument --sets: must be a whole number from 1 to 10, "
         "got 99999999999999999999999"),
        (["timeline", "clamshell", "--sets", "100000", "--reps", "100000"],
         "kiosk timeline: error: argument --sets: must be a whole number from 1 to 10, "
         "got 100000"),
        (["timeline", "clamshell", "--sets", "3", "--reps", "100000"],
         "kiosk timeline: error: argument --reps: must be a whole number from 1 to 50, "
         "got 100000"),
        (["demo", "clamshell", "--out", "{tmp}/big.png", "--size", "30000x30000"],
         "kiosk demo: error: argument --size: must be WIDTHxHEIGHT from 320x240 to 3840x2160, "
         "got 30000x30000"),
    ],
)  # fmt: skip
def test_the_issues_arguments_are_refused_before_anything_runs(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    child = run_child(*(arg.format(tmp=tmp_path) for arg in argv))
    assert child.returncode == 2, child.stderr[-2000:]
    assert child.stderr.splitlines()[-1] == message
    assert loaded(child) == set()  # no compiler, no library, no painter, no Qt
    assert list(tmp_path.iterdir()) == []


def test_a_recording_that_can_be_written_leaves_nothing_behind(tmp_path: Path) -> None:
    assert cannot_write(tmp_path / "new.wav") is None
    assert list(tmp_path.iterdir()) == []
    kept = tmp_path / "kept.wav"
    kept.write_bytes(b"RIFF an earlier recording")
    assert cannot_write(kept) is None
    assert kept.read_bytes() == b"RIFF an earlier recording"
    with pytest.raises(AssertionError, match="session started"):  # the check let it through
        main(["rehearse", "clamshell", "--record", str(tmp_path / "clam.wav")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.wav"]


def _own_mount_namespace() -> bool:
    """Whether ``unshare -rm`` works here (it needs user namespaces, or root)."""
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-rm", "true"], check=False).returncode == 0


# In a mount namespace of its own (the host never sees these mounts), as its root: every
# permission bit passes, and still no file can be written in the folder given as $1.
READ_ONLY = 'mount --bind "$1" "$1"; mount -o remount,bind,ro "$1"'
FULL = 'mount -t tmpfs -o size=64k tmpfs "$1"; cat /dev/zero >"$1/fill" 2>/dev/null || true'


@pytest.mark.parametrize(
    ("prepare", "why", "namespace"),
    [
        (READ_ONLY, "Read-only file system", True),
        (FULL, "No space left on device", True),
        ('mkdir "$1/clam.wav"', "Is a directory", False),
    ],
    ids=["read-only", "full", "a-folder"],
)
def test_a_recording_that_cannot_be_written_is_refused_before_the_session(
    tmp_path: Path, prepare: str, why: str, namespace: bool
) -> None:
    if namespace and not _own_mount_namespace():
        pytest.skip("needs `unshare -rm` (a user and mount namespace of its own)")
    folder = tmp_path / "recordings"
    folder.mkdir()
    wav = folder / "clam.wav"
    script = ("sh", "-c", f'set -e; {prepare}; shift; exec "$@"', "sh", str(folder))
    before = ("unshare", "-rm", *script) if namespace else script
    started = time.monotonic()
    child = run_child("rehearse", "clamshell", "--record", str(wav), before=before)
    elapsed = time.monotonic() - started
    assert child.returncode == 2, child.stderr[-2000:]
    message = f"kiosk: error: --record: cannot write {str(wav)!r}: {why}"
    assert child.stderr.splitlines()[-1] == message
    assert not {"voice.service", "media.loader"} & loaded(child)  # no voice, no library
    # A session of clamshell lasts minutes and its voice takes seconds to prepare; the child
    # refuses in about a tenth of a second.
    assert elapsed < 1.0
