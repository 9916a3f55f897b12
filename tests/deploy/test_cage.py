"""The units' own command lines under a real, headless cage (tests/deploy/cage.py): the
installed kiosk paints its attract screen, the out-of-order screen paints its notice, and the
units' ExecStop= ends each with cage exiting cleanly (cage 0.1.4 aborts on SIGTERM itself)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.deploy.cage import run_cage, unit_command
from tests.deploy.conftest import Installed
from tests.deploy.units import Unit

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("cage") is None or shutil.which("grim") is None,
        reason="cage and grim are not installed (make test installs them)",
    ),
]


@pytest.mark.parametrize("name", ["clinic-kiosk.service", "clinic-kiosk-out-of-order.service"])
def test_the_unit_paints_under_cage_and_its_execstop_ends_it_cleanly(
    installed: Installed, tmp_path: Path, name: str
) -> None:
    unit = Unit.named(name)
    command, env = unit_command(unit, installed.root)
    with run_cage(command.argv, env, installed.root / "var/lib/clinic-kiosk") as cage:
        cage.wait_painted(tmp_path / "screen.png")
        assert cage.stop_as_the_unit_does(unit) == 0


STUB = """#!/usr/bin/python3
import os, signal, socket
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
watchdog = os.environ.get("WATCHDOG_PID", "unset")
sock.sendto(f"READY=1\\nX_WATCHDOG_PID={watchdog}".encode(), os.environ["NOTIFY_SOCKET"])
signal.pause()
"""


def test_cage_passes_the_notify_socket_to_the_kiosk_without_watchdog_pid(
    installed: Installed, tmp_path: Path
) -> None:
    """systemd names cage in WATCHDOG_PID; the unit's `env -u WATCHDOG_PID` keeps the kiosk
    from taking the watchdog to be someone else's, and its READY=1 comes from a process that
    is not cage: hence NotifyAccess=all."""
    stub = tmp_path / "kiosk"  # named so, for ExecStop's `pkill --exact kiosk`
    stub.write_text(STUB)
    stub.chmod(0o755)
    os.chmod(tmp_path, 0o755)
    unit = Unit.named("clinic-kiosk.service")
    command, env = unit_command(unit, installed.root)
    kiosk = str(installed.root / "opt/clinic-kiosk/venv/bin/kiosk")
    argv = [str(stub) if arg == kiosk else arg for arg in command.argv]
    assert str(stub) in argv
    env["WATCHDOG_PID"] = "1"  # what systemd would set: the main process's pid
    env["WATCHDOG_USEC"] = "30000000"
    with run_cage(argv, env, tmp_path) as cage:
        while not cage.notifications:
            assert cage.process.poll() is None
            cage.receive_notifications(1.0)
        ((sender, message),) = cage.notifications
        assert sender != cage.process.pid
        assert message == "READY=1\nX_WATCHDOG_PID=unset"
        assert cage.stop_as_the_unit_does(unit) == 0
