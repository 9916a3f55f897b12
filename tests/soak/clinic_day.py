"""``make soak-day``: a whole clinic day on the real kiosk window, at accelerated time, watched
for leaks.

    python -m tests.soak.clinic_day [--visits 60] [--every 10] [--no-save]

Two child processes, each a fresh kiosk on a fresh demo database (``tests/soak/day.py``):
first the baseline, as many visits that only check in and go back (``bench/memory_day.py``'s
baseline), then the clinic day (``tests/soak/visits.py``). Each prints its samples as JSON;
this process judges them (``tests/soak/probes.py``), prints the figures beside the baseline's,
writes them to ``bench/results.json`` for ``make bench``'s report (``bench/report.py``),
and exits 1 if the day leaked or the kiosk did not do what the day expected, 0 otherwise.

Each day runs in a process of its own so that nothing else, not the other day and not this
one, is in its memory. Nothing sleeps: the kiosk's clock is a fake one the day moves from
deadline to deadline, so sixty visits take well under a minute here.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.paths import REPO_ROOT

VISITS = 60
#: One round of visits (tests/soak/visits.py): samples every round, the first is the warm-up.
ROUND = 10
CHILD_TIMEOUT_S = 1200


def _child(kind: str, visits: int, every: int) -> int:
    """Live one day in this process and print what was sampled, as one line of JSON (the
    parent set Qt offscreen, SDL's dummy sound device and TZ=UTC before it started)."""
    from tests.soak.day import baseline_day, clinic_day, run_day

    slots = clinic_day(visits) if kind == "day" else baseline_day(visits)
    with tempfile.TemporaryDirectory(prefix="clinic-day-") as workdir:
        result = run_day(slots, Path(workdir), every=every)
    print(
        json.dumps(
            {
                "samples": [s.as_dict() for s in result.samples],
                "tally": result.tally,
                "real_s": result.real_s,
                "ended_at": result.ended_at,
            }
        )
    )
    return 0


def _run_child(kind: str, visits: int, every: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="clinic-day-env-") as scratch:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            SDL_AUDIODRIVER="dummy",
            PYGAME_HIDE_SUPPORT_PROMPT="1",
            TZ="UTC",
            # The journal's second place and the kiosk's configuration: never the user's.
            KIOSK_JOURNAL_DIR=scratch,
            KIOSK_CONFIG=str(Path(scratch) / "no-kiosk.toml"),
        )
        env.pop("KIOSK_DATABASE_URL", None)
        env.pop("KIOSK_LANGUAGE", None)
        command = [sys.executable, "-m", "tests.soak.clinic_day", "--child", kind]
        command += ["--visits", str(visits), "--every", str(every)]
        done = subprocess.run(
            command, cwd=REPO_ROOT, env=env, capture_output=True, text=True,
            timeout=CHILD_TIMEOUT_S, check=False,
        )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(
            f"the {kind} did not run to its end (exit {done.returncode}):\n"
            + "\n".join(done.stderr.strip().splitlines()[-25:])
        )
    data: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return data


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.soak.clinic_day", description=__doc__)
    parser.add_argument("--visits", type=int, default=VISITS, help="patients in the day")
    parser.add_argument("--every", type=int, default=ROUND, help="visits between samples")
    parser.add_argument("--no-save", action="store_true", help="leave bench/results.json be")
    parser.add_argument("--child", choices=("day", "baseline"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child, args.visits, args.every)
    if args.visits < 2 * args.every:
        parser.error("a day needs at least two samples after the warm-up: --visits >= 2 × --every")

    from tests.soak.report import DaySummary, report

    print(f"baseline: {args.visits} visits that check in and go back ...", flush=True)
    baseline = DaySummary.from_json(_run_child("baseline", args.visits, args.every))
    print(f"clinic day: {args.visits} visits ...", flush=True)
    day = DaySummary.from_json(_run_child("day", args.visits, args.every))
    return report(day, baseline, warm_up=args.every, save=not args.no_save)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
