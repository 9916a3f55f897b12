"""The units' own command lines run under a real cage, headless, with screenshots by grim.

cage's headless backend (``WLR_BACKENDS=headless``) needs no screen or GPU (wlroots draws with
pixman) and shows a 1280×720 output. Two things differ from a kiosk's tty1, both for the
screenshots only: cage refuses to run as root, so as root it runs in a user namespace as uid
1000 (the files stay reachable as root's own); and it runs with ``-r -r`` (the output turned
180°, which grim turns back), because cage 0.1.4 hands a full-screen client's buffer straight
to the output ("direct scan-out"), which a headless output then gives grim as black.

``python -m tests.deploy.cage ROOT`` takes docs/screenshots/cage-*.png with the kiosk that
``deploy/install.sh --root ROOT`` installed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.deploy.units import Command, Unit
from tests.paths import REPO_ROOT

PAINT_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0  # the units' TimeoutStopSec


@dataclass
class Cage:
    process: subprocess.Popen[bytes]
    runtime_dir: Path
    env: dict[str, str]
    notify: socket.socket
    #: (sender pid, message) for every sd_notify datagram received so far.
    notifications: list[tuple[int, str]] = field(default_factory=list)

    def screenshot(self, path: Path) -> None:
        subprocess.run(["grim", str(path)], env=self.env, check=True, timeout=30)

    def wait_painted(self, path: Path) -> None:
        """Screenshots until one is not a single colour (the client has painted), within
        :data:`PAINT_TIMEOUT_S`."""
        deadline = time.monotonic() + PAINT_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "cage exited before its client painted"
            if not (self.runtime_dir / "wayland-0").exists():
                self.receive_notifications(0.1)  # cage is still starting
                continue
            self.screenshot(path)
            if is_painted(path):
                return
        raise AssertionError(f"nothing painted under cage within {PAINT_TIMEOUT_S} s")

    def receive_notifications(self, timeout_s: float) -> None:
        """Wait up to ``timeout_s`` for sd_notify messages; keep each with its sender's pid."""
        self.notify.settimeout(timeout_s)
        with contextlib.suppress(TimeoutError, BlockingIOError):
            while True:
                data, ancillary, _flags, _address = self.notify.recvmsg(4096, 64)
                pid = next(
                    struct.unpack("3i", item[2][:12])[0]
                    for item in ancillary
                    if item[:2] == (socket.SOL_SOCKET, socket.SCM_CREDENTIALS)
                )
                self.notifications.append((pid, data.decode()))
                self.notify.settimeout(0)

    def stop_as_the_unit_does(self, unit: Unit) -> int:
        """Run the unit's ExecStop= lines with $MAINPID = cage, as systemd would; cage's exit
        status."""
        env = {**self.env, "MAINPID": str(self.process.pid)}
        # Reaped the moment it exits, as PID 1 would: `tail --pid` waits on a zombie forever.
        reaper = threading.Thread(target=self.process.wait, name="reap-cage")
        reaper.start()
        for command in unit.commands("ExecStop", env):
            subprocess.run(command.argv, env=env, check=not command.ignore_failure, timeout=30)
        reaper.join(STOP_TIMEOUT_S)
        return self.process.wait(STOP_TIMEOUT_S)


def is_painted(screenshot: Path) -> bool:
    """Whether the screenshot is more than one colour: a client has painted."""
    from PySide6.QtGui import QImage

    image = QImage(str(screenshot))
    corner = image.pixel(0, 0)
    return any(
        image.pixel(x, y) != corner
        for x in range(0, image.width(), 16)
        for y in range(0, image.height(), 16)
    )


def unit_command(unit: Unit, root: Path) -> tuple[Command, dict[str, str]]:
    """The unit's ExecStart with /opt/clinic-kiosk moved into the scratch ``root``, and the
    unit's environment with the database there."""
    env = unit.environment()
    env["KIOSK_DATABASE_URL"] = f"sqlite:///{root}/var/lib/clinic-kiosk/kiosk.sqlite3"
    (command,) = unit.commands("ExecStart", env)
    argv = [a.replace("/opt/clinic-kiosk", f"{root}/opt/clinic-kiosk") for a in command.argv]
    return Command(argv, command.ignore_failure, command.privileged), env


@contextlib.contextmanager
def run_cage(argv: list[str], unit_env: Mapping[str, str], home: Path) -> Iterator[Cage]:
    """``argv`` (``/usr/bin/cage -- ...``) headless, with a real NOTIFY_SOCKET."""
    assert argv[0].endswith("/cage"), argv
    with tempfile.TemporaryDirectory(prefix="cage-") as runtime:
        runtime_dir = Path(runtime)
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(str(runtime_dir / "notify"))
        notify.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("QT_", "SDL_"))},
            **unit_env,
            "HOME": str(home),
            "XDG_RUNTIME_DIR": str(runtime_dir),
            "WLR_BACKENDS": "headless",
            "WLR_LIBINPUT_NO_DEVICES": "1",
            "NOTIFY_SOCKET": str(runtime_dir / "notify"),
            "SDL_AUDIODRIVER": "dummy",  # no sound card on a build machine
        }
        not_root = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]
        prefix = not_root if os.geteuid() == 0 else []
        # --user makes unshare exec cage in place: the process is cage, as $MAINPID would be.
        process = subprocess.Popen([*prefix, argv[0], "-r", "-r", *argv[1:]], env=env)
        cage = Cage(process, runtime_dir, env, notify)
        try:
            yield cage
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            process.wait(STOP_TIMEOUT_S)
            notify.close()


def main(root: Path) -> None:
    """The attract screen and the out-of-order screen, as cage shows them."""
    shots = REPO_ROOT / "docs" / "screenshots"
    home = root / "var/lib/clinic-kiosk"
    for unit_name, shot in [
        ("clinic-kiosk.service", "cage-attract.png"),
        ("clinic-kiosk-out-of-order.service", "cage-out-of-order.png"),
    ]:
        unit = Unit.named(unit_name)
        command, env = unit_command(unit, root)
        with run_cage(command.argv, env, home) as cage:
            cage.wait_painted(shots / shot)
            time.sleep(3)  # a tool, not a test: let the clock and the fact card fill in
            cage.screenshot(shots / shot)
            print(shot, "cage exit status", cage.stop_as_the_unit_does(unit))


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
