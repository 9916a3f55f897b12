"""The clinic-day soak's verdict: what the day held, each measure from start-up to the end, and
the figures ``make bench`` reports, each beside the baseline day's (visits that check in and
go back, no session)."""

from __future__ import annotations

from dataclasses import dataclass

from bench.report import Figure, print_and_save
from tests.soak.probes import RSS_BUDGET_MB, Growth, Sample, judge

#: The counts among the soak's figures in bench/results.json: (figure, measure's key).
COUNTS = (
    ("clinic_day_open_files", "files"),
    ("clinic_day_db_connections_in_use", "db_in_use"),
    ("clinic_day_native_threads", "tasks"),
    ("clinic_day_python_threads", "threads"),
    ("clinic_day_widgets", "widgets"),
    ("clinic_day_qobjects", "qobjects"),
    ("clinic_day_qtimers", "timers"),
)
BASELINE_LABEL = "as many visits that check in and go back"


@dataclass(frozen=True)
class DaySummary:
    """One day as its child process reported it."""

    samples: list[Sample]
    tally: dict[str, int]
    real_s: float
    ended_at: str

    @classmethod
    def from_json(cls, data: dict[str, object]) -> DaySummary:
        samples = data["samples"]
        tally = data["tally"]
        assert isinstance(samples, list)
        assert isinstance(tally, dict)
        return cls(
            [Sample(**s) for s in samples], dict(tally), float(str(data["real_s"])),
            str(data["ended_at"]),
        )  # fmt: skip


def _table(day: list[Growth], baseline: list[Growth]) -> None:
    print(
        f"{'':22} {'start':>9} {'warm-up':>9} {'end':>9} {'growth':>8} {'last third':>10}"
        f" {'baseline growth':>16}"
    )
    for g, b in zip(day, baseline, strict=True):
        name = f"{g.label} ({g.unit})" if g.unit else g.label
        flag = "  << " + g.problem if g.problem else ""
        print(
            f"{name:22} {g.start:>9.1f} {g.warm:>9.1f} {g.end:>9.1f} {g.growth:>+8.1f} "
            f"{g.late:>+10.1f} {b.growth:>+16.1f}{flag}"
        )


def _course(g: Growth, unit: str = "") -> str:
    """Start-up, warm-up and end, as the note beside a figure."""
    return f"start-up {g.start:.4g}, warm-up {g.warm:.4g}, end {g.end:.4g}{unit}"


def figures(day: DaySummary, baseline: DaySummary, warm_up: int) -> list[Figure]:
    """The soak's figures for bench/results.json."""
    growth = {g.key: g for g in judge(day.samples, warm_up)}
    base = {g.key: g for g in judge(baseline.samples, warm_up)}
    rss, raw, peak = growth["rss_kb"], growth["rss_raw_kb"], growth["peak_kb"]
    memory = (
        f"in use: {_course(rss, ' MB')}; as it stood: {_course(raw, ' MB')}; peak {peak.end:.4g} MB"
    )
    found = [
        Figure(
            "clinic_day_rss_growth_mb",
            rss.growth,
            "MB",
            base["rss_kb"].growth,
            BASELINE_LABEL,
            f"<= {RSS_BUDGET_MB:g} MB after the warm-up",
            memory,
        )
    ]
    for name, key in COUNTS:
        g = growth[key]
        note = f"{_course(g)}; last third {g.late:+g}"
        found.append(
            Figure(name, g.end, "", base[key].end, BASELINE_LABEL, "flat after the warm-up", note)
        )
    hours = f"{day.samples[-1].visits} visits, {day.samples[0].at}-{day.ended_at} kiosk time"
    found.append(
        Figure(
            "clinic_day_real_s",
            day.real_s,
            "s",
            baseline.real_s,
            BASELINE_LABEL,
            "minutes at most",
            hours,
        )
    )
    return found


def report(day: DaySummary, baseline: DaySummary, *, warm_up: int, save: bool) -> int:
    """Print the day and its verdict, save the figures; 0 if nothing leaked, else 1."""
    visits = day.samples[-1].visits
    print(
        f"\na clinic day: {visits} visits, {day.samples[0].at}–{day.ended_at} on the kiosk's "
        f"clock, {day.real_s:.0f} s of real time (baseline: {baseline.real_s:.0f} s)"
    )
    print("  " + ", ".join(f"{what} {n}" for what, n in sorted(day.tally.items())))
    print(
        f"\nsampled every {warm_up} visits, the first {warm_up} the warm-up; last third: the end "
        "above the highest value before it (a count must not rise there)"
    )
    found = judge(day.samples, warm_up)
    _table(found, judge(baseline.samples, warm_up))
    print()
    if save:
        print_and_save(figures(day, baseline, warm_up), measured_by="make soak-day")
    problems = [g.problem for g in found if g.problem]
    for problem in problems:
        print(f"LEAK: {problem}")
    if not problems:
        print("no leak: memory within its budget, and nothing still growing at the end")
    return 1 if problems else 0
