"""``make bench``: run every benchmark and print each figure beside its baseline.

``python -m bench NAME ...`` runs only the named ones. Each module in :data:`BENCHMARKS` has a
``run() -> list[Figure]``. The clinic-day soak takes minutes, so ``make soak-day`` measures
it and saves its figures in ``bench/results.json``; the report prints them as last measured.
"""

from __future__ import annotations

import importlib
import sys

from bench import report

BENCHMARKS = (
    "startup",
    "log_set",
    "checkin_lookup",
    "hold_timing",
    "memory_day",
    "demo_paint",
    "cue_latency",
    "sound_server",
    "touch_repaint",
    "start_check",
    "patient_data",
    "pin_hash",
    "intelligibility",
    "voice_commands",
    "staff_history",
)


def main(argv: list[str]) -> int:
    unknown = set(argv) - set(BENCHMARKS)
    if unknown:
        print(f"unknown benchmark(s): {', '.join(sorted(unknown))}; known: {', '.join(BENCHMARKS)}")
        return 2
    figures: list[report.Figure] = []
    for name in BENCHMARKS:
        if not argv or name in argv:
            print(f"running {name} ...", flush=True)
            figures += importlib.import_module(f"bench.{name}").run()
    report.print_and_save(figures)
    report.print_measured_elsewhere()  # make soak-day's figures, as last measured
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
