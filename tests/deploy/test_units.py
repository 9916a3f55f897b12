"""Every unit in deploy/systemd passes ``systemd-analyze verify``, and the kiosk's unit says
what docs/deployment.md promises: notify, watchdog, restart within a limit, then out of order.

``verify`` wants every ``ExecStart=`` program to exist. The system's (cage, xinit, pkill...)
are the machine's own; the kiosk's, /opt/clinic-kiosk/venv/bin/kiosk, is the one install.sh
put in the scratch root, bind-mounted there in a mount namespace of the test's own (over a
tmpfs on /opt), so the machine's /opt is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.conftest import Installed
from tests.deploy.units import ALL_UNITS, KIOSK_UNITS, SYSTEMD_DIR, Unit

pytestmark = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (Debian package 'systemd'; make test installs it)",
)

VERIFY_TIMEOUT_S = 60
_IN_NAMESPACE = """
set -e
mount --make-rprivate /
mount -t tmpfs tmpfs /opt
mkdir -p /opt/clinic-kiosk
mount --bind "$1" /opt/clinic-kiosk
shift
cd "$1"
shift
exec systemd-analyze verify --man=no "$@"
"""


def verify(installed: Installed, unit_dir: Path, *units: str) -> subprocess.CompletedProcess[str]:
    # As root a mount namespace; otherwise a user namespace gives the right to mount in it.
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "-r", "--mount"]
    return subprocess.run(
        [
            *unshare,
            "sh",
            "-c",
            _IN_NAMESPACE,
            "verify",
            str(installed.root / "opt/clinic-kiosk"),
            str(unit_dir),
            *units,
        ],
        capture_output=True,
        text=True,
        timeout=VERIFY_TIMEOUT_S,
        check=False,
    )


@pytest.mark.slow
def test_every_unit_passes_systemd_analyze_verify(installed: Installed) -> None:
    done = verify(installed, SYSTEMD_DIR, *ALL_UNITS)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


@pytest.mark.slow
def test_verify_here_catches_a_broken_unit(installed: Installed, tmp_path: Path) -> None:
    """The check above could pass by checking nothing: the same harness fails a unit whose
    program does not exist, and says so (as it does of a misspelt setting, which it only
    warns about: hence the check above wants no output at all).

    ``verify`` checks the program ``ExecStart=`` runs (cage), not its arguments: that the
    kiosk's own paths exist is tests/deploy/test_install.py's to check."""
    broken = (SYSTEMD_DIR / "clinic-kiosk.service").read_text()
    broken = broken.replace("ExecStart=/usr/bin/cage", "ExecStart=/usr/bin/no-such-cage")
    broken = broken.replace("WatchdogSec=", "WatchDogSec=")
    (tmp_path / "clinic-kiosk.service").write_text(broken)
    shutil.copy(SYSTEMD_DIR / "clinic-kiosk-out-of-order.service", tmp_path)
    done = verify(installed, tmp_path, "clinic-kiosk.service")
    assert done.returncode != 0
    assert "no-such-cage is not executable" in done.stderr
    assert "Unknown key 'WatchDogSec'" in done.stderr


def test_the_kiosk_unit_is_watched_restarted_and_then_out_of_order() -> None:
    kiosk = Unit.named("clinic-kiosk.service")
    assert kiosk.value("Type") == "notify"
    assert kiosk.value("NotifyAccess") == "all"  # the kiosk is cage's child, not the main PID
    assert int(kiosk.value("WatchdogSec")) > 0
    assert kiosk.value("Restart") == "always"  # cage exits 0 whatever its client did
    assert int(kiosk.value("StartLimitBurst")) >= 2
    assert int(kiosk.value("StartLimitIntervalSec")) > 0
    assert kiosk.value("TimeoutStopSec") == "10"
    assert kiosk.value("OnFailure") == "clinic-kiosk-out-of-order.service"
    assert "clinic-kiosk-out-of-order.service" in " ".join(kiosk.values("Conflicts"))
    out_of_order = Unit.named("clinic-kiosk-out-of-order.service")
    assert "out-of-order" in out_of_order.value("ExecStart").split()
    x11 = Unit.named("clinic-kiosk-x11.service")
    assert x11.value("OnFailure") == "clinic-kiosk-x11-out-of-order.service"


@pytest.mark.parametrize("name", ["clinic-kiosk.service", "clinic-kiosk-x11.service"])
def test_the_kiosk_runs_on_tty1_as_its_own_user_and_never_with_demo_data(name: str) -> None:
    unit = Unit.named(name)
    assert unit.value("User") == "clinic-kiosk"
    assert unit.value("PAMName") == "login"
    assert unit.value("TTYPath") == "/dev/tty1"
    assert "getty@tty1.service" in " ".join(unit.values("Conflicts"))
    assert "systemd-user-sessions.service" in " ".join(unit.values("After"))
    assert "--demo" not in unit.value("ExecStart")


def test_the_backup_runs_nightly_as_the_kiosk_user_and_catches_up() -> None:
    service = Unit.named("clinic-kiosk-backup.service")
    assert service.value("User") == "clinic-kiosk"
    assert service.value("ExecStart").split()[1:] == [
        "backup",
        "--to",
        "/var/backups/clinic-kiosk",
    ]
    timer = Unit.named("clinic-kiosk-backup.timer")
    assert timer.value("Persistent") == "true"
    calendar = subprocess.run(
        ["systemd-analyze", "calendar", timer.value("OnCalendar")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Normalized form: *-*-* 02:30:00" in calendar.stdout


def test_install_sh_knows_every_kiosk_unit() -> None:
    """A unit added to deploy/systemd is installed (or is one of the database server's
    samples); the uninstaller removes every clinic-kiosk* unit."""
    samples = {"clinic-kiosk-pg-dump.service", "clinic-kiosk-pg-dump.timer"}
    assert set(ALL_UNITS) == set(KIOSK_UNITS) | samples
    text = (SYSTEMD_DIR.parent / "install.sh").read_text()
    listed = text.split("UNITS=(", 1)[1].split(")", 1)[0].split()
    assert listed == list(KIOSK_UNITS)
    assert all(name.startswith("clinic-kiosk") for name in ALL_UNITS)
