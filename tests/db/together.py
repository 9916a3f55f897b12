"""Several kiosks doing the same thing at the same moment: threads released by one barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def run_together(kiosks: int, action: Callable[[], T]) -> tuple[list[T], list[BaseException]]:
    """Run ``action`` in ``kiosks`` threads at once; what they returned, and what they raised."""
    barrier = threading.Barrier(kiosks)
    results: list[T] = []
    errors: list[BaseException] = []

    def kiosk() -> None:
        barrier.wait()
        try:
            results.append(action())
        except BaseException as error:  # reported to the test, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=kiosk) for _ in range(kiosks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
