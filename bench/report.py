"""Collects figures, prints them beside their baselines, writes ``bench/results.json``."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
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

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def print_and_save(figures: list[Figure], path: Path = RESULTS) -> None:
    width = max(len(f.name) for f in figures)
    print(f"{'figure':<{width}}  {'value':>10}  {'baseline':>10}  {'ratio':>6}  budget")
    for f in figures:
        print(
            f"{f.name:<{width}}  {f.value:>8.2f}{f.unit:>2}  {f.baseline:>8.2f}{f.unit:>2}  "
            f"{f.ratio:>6.2f}  {f.budget}   (baseline: {f.baseline_label})"
        )
    data = {}
    if path.exists():
        try:
            data = json.loads(path.read_text())
        except ValueError:
            data = {}
    for f in figures:
        data[f.name] = {
            "value": round(f.value, 3),
            "unit": f.unit,
            "baseline": round(f.baseline, 3),
            "ratio": round(f.ratio, 3),
            "budget": f.budget,
        }
    path.write_text(json.dumps(data, indent=2) + "\n")
    print(f"\nwritten to {path}")
