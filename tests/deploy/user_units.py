"""deploy/systemd's units as the user manager of tests/deploy/user_manager.py can run them.

Each unit is made here from its file in deploy/systemd, by the changes listed below and no
others, every time a test runs: an edit to a unit is an edit to what the tests run. Timings
are never changed here; a test that shortens one does it in a drop-in of its own, and says so.

Removed, because only the system manager can do them, or doing them here would take over the
machine the tests run on:

- ``User=clinic-kiosk``: a user manager runs its services as its own user (here root, which
  cage refuses to be: see ``ExecStart=``), and ``install.sh --root`` makes no such user.
- ``PAMName=login``: the PAM session that gives cage logind's seat on tty1; the system manager
  opens it. A headless cage needs no seat.
- ``TTYPath=/dev/tty1``, ``TTYReset=``, ``TTYVHangup=``, ``TTYVTDisallocate=``,
  ``StandardInput=tty-fail``: they would take this machine's tty1; a headless cage needs no tty.
- ``UtmpIdentifier=``, ``UtmpMode=``: they would write this machine's utmp and wtmp.
- ``ConditionPathExists=/dev/tty0``: a headless cage needs no console, and a build container
  may have none (the unit would be skipped, not started).

Changed:

- The places install.sh installs to name the test's: ``/opt/clinic-kiosk`` and
  ``/etc/clinic-kiosk``, the program and settings that the ``installed`` fixture installed;
  ``/var/lib/clinic-kiosk`` and ``/var/backups/clinic-kiosk``, a data folder (a copy of the
  installed, empty database) and a backups folder of the test's own.
- ``ExecStart=/usr/bin/cage …`` becomes ``ExecStart=/usr/bin/unshare --user --map-user=1000
  --map-group=1000 /usr/bin/cage -r -r …``: cage refuses to run as root, and unshare gives it
  uid 1000 in a user namespace (the files stay reachable: that uid is root outside) and then
  execs cage in its own place, so cage is still the unit's main process, ``$MAINPID``, as
  ``ExecStop=`` and the watchdog expect. ``-r -r`` turns the output 180°, for the screenshots
  only (tests/deploy/cage.py says why).

Added, in a drop-in (:data:`HEADLESS_DROP_IN`): ``WLR_BACKENDS=headless`` and
``WLR_LIBINPUT_NO_DEVICES=1`` (no GPU, screen or input devices here) and
``SDL_AUDIODRIVER=dummy`` (no sound card; the unit's ALSA would find none and the kiosk would
caption instead, after ALSA's complaints).

Everything else is the unit's own, as a kiosk's system manager runs it: ``Type=notify``,
``NotifyAccess=all``, ``env -u WATCHDOG_PID``, ``ExecStop=`` with ``${MAINPID}``,
``TimeoutStartSec=``, ``TimeoutStopSec=``, ``WatchdogSec=``, ``Restart=``, ``RestartSec=``,
``StartLimitIntervalSec=``, ``StartLimitBurst=``, ``OnFailure=``, ``Conflicts=`` between the
kiosk and its out-of-order screen, ``EnvironmentFile=``, ``UMask=``, ``WorkingDirectory=~``
(the manager's ``$HOME``: the data folder), ``StandardOutput=journal``, the backup's timer.
The ordering on, and conflict with, system units (``getty@tty1.service``,
``systemd-logind.service``...) stay too: a user manager has no such units, and ignores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.deploy.units import SYSTEMD_DIR

#: Settings only the system manager has a use for, removed whatever their value.
SYSTEM_ONLY = (
    "User",
    "PAMName",
    "TTYPath",
    "TTYReset",
    "TTYVHangup",
    "TTYVTDisallocate",
    "StandardInput",
    "UtmpIdentifier",
    "UtmpMode",
)
NO_CONSOLE_CONDITION = "ConditionPathExists=/dev/tty0"
CAGE = "ExecStart=/usr/bin/cage "
CAGE_AS_A_USER = (
    "ExecStart=/usr/bin/unshare --user --map-user=1000 --map-group=1000 /usr/bin/cage -r -r "
)
HEADLESS_DROP_IN = """[Service]
Environment=WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 SDL_AUDIODRIVER=dummy
"""


@dataclass(frozen=True)
class Places:
    """Where the installed kiosk's folders are, for a test."""

    installed_root: Path  # /opt/clinic-kiosk and /etc/clinic-kiosk, as install.sh left them
    data: Path  # /var/lib/clinic-kiosk
    backups: Path  # /var/backups/clinic-kiosk

    def moved(self, text: str) -> str:
        for installed in ("/opt/clinic-kiosk", "/etc/clinic-kiosk"):
            text = text.replace(installed, f"{self.installed_root}{installed}")
        text = text.replace("/var/lib/clinic-kiosk", str(self.data))
        return text.replace("/var/backups/clinic-kiosk", str(self.backups))


def for_user_manager(name: str, places: Places) -> str:
    """Unit ``name`` of deploy/systemd, changed as this module's docstring lists."""
    kept = [
        line
        for line in (SYSTEMD_DIR / name).read_text().splitlines()
        if line.partition("=")[0].strip() not in SYSTEM_ONLY and line != NO_CONSOLE_CONDITION
    ]
    text = "\n".join(kept) + "\n"
    assert text.count(CAGE) <= 1, f"{name}: more than one cage to start"
    return places.moved(text.replace(CAGE, CAGE_AS_A_USER))
