"""A database with a page damaged deep in a table, which the kiosk's first queries would never
read: the start's ``quick_check`` finds it, the kiosk is out of order with the sentence that
names the last backup in its log, ``kiosk restore --latest`` (a real process, as IT runs it)
brings that backup back while the kiosk waits, and holding the corner finds it in order. The
same with the real kiosk in a child process."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.ui.staff_mode.pin_pad import PinPadState
from tests.clinic import TODAY
from tests.db.faults import damage_a_page, kiosk, python, url_of
from tests.paths import REPO_ROOT
from tests.ui.conftest import OpenWindow, tap
from tests.ui.shell.test_out_of_order import (
    KIOSK,
    assert_out_of_order,
    out_of_order_lines,
    out_of_order_report,
)
from tests.ui.staff_mode.conftest import hold_corner

SAYS = (
    "The database file {path} is damaged (quick_check: On tree page ",
    "Run `kiosk restore --latest` to bring back the last good backup (newest: ",
)


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
                          check=False)  # fmt: skip


@pytest.fixture
def damaged_clinic(tmp_path: Path) -> Path:
    """The demo clinic, backed up by ``kiosk backup`` (as the nightly timer runs it), then a
    page of it damaged."""
    path = tmp_path / "clinic" / "kiosk.sqlite3"
    KioskServices.open(url_of(path), create=True, demo_data=True, today=lambda: TODAY).close()
    backed_up = _run(kiosk("--db", url_of(path), "backup"))
    assert backed_up.returncode == 0, backed_up.stderr
    damage_a_page(path)
    return path


def test_a_damaged_page_puts_the_kiosk_out_of_order_until_its_backup_is_back(
    open_window: OpenWindow,
    damaged_clinic: Path,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = url_of(damaged_clinic)
    window = open_window(
        services=lambda: KioskServices.open(url, demo_data=True, today=lambda: TODAY)
    )
    assert_out_of_order(window)
    (line,) = out_of_order_lines(caplog)
    message = line.getMessage()
    assert message.startswith(
        "out of order: the kiosk's services could not start: " + SAYS[0].format(path=damaged_clinic)
    )
    assert SAYS[1] in message
    assert "\n" not in message

    # IT restores the last good backup while the kiosk stands out of order (its database never
    # opened, so it holds nothing that would refuse the restore).
    restored = _run(kiosk("--db", url, "restore", "--latest"))
    assert restored.returncode == 0, restored.stderr
    hold_corner(window, clock)
    assert not window.out_of_order
    assert window.staff is not None
    assert window.staff.pin_screen.state is PinPadState.READY
    tap(window.staff.pin_screen.cancel_button)
    assert window.attract.call_to_action.isVisibleTo(window)


def test_the_real_kiosk_on_a_damaged_page_is_out_of_order_and_starts_once_restored(
    damaged_clinic: Path,
) -> None:
    url = url_of(damaged_clinic)
    child = _run(python(KIOSK, url))
    assert child.returncode == 0, child.stderr[-2000:]
    assert json.loads(child.stdout) == out_of_order_report()
    (log,) = [line for line in child.stderr.splitlines() if line.startswith("out of order: ")]
    assert SAYS[0].format(path=damaged_clinic) in log
    assert SAYS[1] in log
    assert "Traceback" not in child.stderr

    assert _run(kiosk("--db", url, "restore", "--latest")).returncode == 0
    child = _run(python(KIOSK, url))
    assert child.returncode == 0, child.stderr[-2000:]
    assert json.loads(child.stdout)["loaded"] is True
    assert json.loads(child.stdout)["out_of_order"] is False
