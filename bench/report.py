"""Collects figures, prints them beside their baselines, writes ``bench/results.json``.

Figures too slow to measure at every ``make bench`` (the clinic-day soak: minutes) are measured
by their own command, saved here with ``measured_by`` and when, and printed after the
benchmarks' own, as they were last measured (:func:`print_measured_elsewhere`).
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

RESULTS = Path(__file__).with_name("results.json")


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    baseline: float
    baseline_label: str
    budget: str
    note: str = ""  # printed after the baseline label (the soak: start-up, warm-up, end)

    @property
    def ratio(self) -> float:
        if not self.baseline:  # 0 beside 0 (a count that is 0 in both) is alike, not infinite
            return 1.0 if not self.value else float("inf")
        return self.value / self.baseline


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def _print(figures: list[Figure]) -> None:
    width = max(len(f.name) for f in figures)
    print(f"{'figure':<{width}}  {'value':>10}  {'baseline':>10}  {'ratio':>6}  budget")
    for f in figures:
        note = f"; {f.note}" if f.note else ""
        print(
            f"{f.name:<{width}}  {f.value:>8.2f}{f.unit:>2}  {f.baseline:>8.2f}{f.unit:>2}  "
            f"{f.ratio:>6.2f}  {f.budget}   (baseline: {f.baseline_label}{note})"
        )


def _load(path: Path) -> dict[str, dict[str, object]]:
    if path.exists():
        try:
            data = json.loads(path.read_text())
        except ValueError:
            return {}
        if isinstance(data, dict):
            return data
    return {}


def print_and_save(
    figures: list[Figure], path: Path = RESULTS, *, measured_by: str | None = None
) -> None:
    """Print ``figures`` and keep them in ``path`` beside the others there; ``measured_by``
    names the command, for figures ``make bench`` does not measure itself."""
    _print(figures)
    data = _load(path)
    for f in figures:
        entry: dict[str, object] = {
            "value": round(f.value, 3),
            "unit": f.unit,
            "baseline": round(f.baseline, 3),
            "ratio": round(f.ratio, 3),
            "budget": f.budget,
            "baseline_label": f.baseline_label,
        }
        if f.note:
            entry["note"] = f.note
        if measured_by:
            entry["measured_by"] = measured_by
            entry["measured_at"] = datetime.now().isoformat(timespec="seconds")
        data[f.name] = entry
    path.write_text(json.dumps(data, indent=2) + "\n")
    print(f"\nwritten to {path}")


def print_measured_elsewhere(path: Path = RESULTS) -> None:
    """The figures in ``path`` that another command measured, as it last measured them."""
    groups: dict[tuple[str, str], list[Figure]] = {}
    for name, entry in _load(path).items():
        by = entry.get("measured_by")
        if not isinstance(by, str):
            continue
        figure = Figure(
            name, float(str(entry["value"])), str(entry["unit"]), float(str(entry["baseline"])),
            str(entry.get("baseline_label", "")), str(entry["budget"]), str(entry.get("note", "")),
        )  # fmt: skip
        groups.setdefault((by, str(entry.get("measured_at", "?"))), []).append(figure)
    for (by, when), figures in sorted(groups.items()):
        print(f"\nmeasured by {by}, {when} (not by this run):")
        _print(figures)
