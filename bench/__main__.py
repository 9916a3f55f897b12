"""``make bench``: run every benchmark and print each figure beside its baseline."""

from __future__ import annotations

import sys

from bench import report, startup


def main(argv: list[str]) -> int:
    selected = set(argv)
    figures: list[report.Figure] = []
    if not selected or "startup" in selected:
        figures += startup.run()
    if not selected or "log_set" in selected:
        from bench import log_set

        figures += log_set.run()
    report.print_and_save(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
