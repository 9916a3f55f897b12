"""A real systemd user manager (``systemd --user``), with a journal, for the deploy tests, on a
machine whose PID 1 is not systemd.

systemd 252 runs as a user manager wherever it finds ``/run/systemd/system`` (its sign of a
machine booted with systemd) and a cgroup it may write. :func:`user_manager` gives it both
without touching the machine: the manager runs in a private mount namespace with a ``/run`` of
its own, and in a cgroup of its own (one in each hierarchy systemd uses), so that every
process it ever starts, cage and the kiosk included, is found and killed when the test ends,
however it ends. A ``systemd-journald`` runs beside it in that namespace, volatile, into a
folder of the test's: the units' ``StandardOutput=journal`` works as on a kiosk, and
:meth:`UserManager.journal` reads what the manager said about a unit (``Started…``,
``Watchdog timeout``, ``Failed with result…``; at debug level, so each sd_notify message it
gets and how each process ended are there too) and what the unit's processes wrote.
``/dev/kmsg`` is a file of the test's too, for what the manager logs while no journal listens.

The manager sees only its own units (``$XDG_CONFIG_HOME/systemd/user``) and Debian's standard
user targets (``/usr/lib/systemd/user``), and runs no generators: nothing that the machine's
other packages install there (gpg-agent's sockets and the like) starts with it.
``systemctl --user`` reaches it from outside the namespace through
``$XDG_RUNTIME_DIR/systemd/private``, as ``systemctl`` reaches a kiosk's manager.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

SYSTEMD = Path("/lib/systemd/systemd")
JOURNALD = Path("/lib/systemd/systemd-journald")
JOURNALD_CONF = Path("/etc/systemd/journald.conf")
STANDARD_USER_UNITS = Path("/usr/lib/systemd/user")
START_TIMEOUT_S = 30.0
SYSTEMCTL_TIMEOUT_S = 90.0
POLL_INTERVAL_S = 0.05

T = TypeVar("T")
# What the manager logs at debug level about each systemctl call.
_BUS_TALK = re.compile(
    r"(Bus |Got message type|Sent message type|Registering bus|sd-bus|Accepted new private"
    r"|Got disconnect on private|Trying to enqueue|Installed new job|Enqueued job)"
)

# Run by unshare in the new mount namespace: a /run of its own (systemd's "booted" mark, and a
# journal that is not the machine's), journald, then the manager in this shell's place.
_IN_NAMESPACE = """
set -e
for procs in "$@"; do echo $$ > "$procs"; done
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/systemd/system /run/log/journal
mount --bind "$TEST_JOURNAL" /run/log/journal
mount --bind "$TEST_KMSG" /dev/kmsg
[ ! -d /var/log/journal ] || mount -t tmpfs tmpfs /var/log/journal
mount --bind "$TEST_JOURNALD_CONF" /etc/systemd/journald.conf
[ -s /etc/machine-id ] || mount --bind "$TEST_MACHINE_ID" /etc/machine-id
/lib/systemd/systemd-journald &
tries=0
until [ -S /run/systemd/journal/stdout ]; do
    tries=$((tries + 1)); [ $tries -lt 500 ] || { echo "journald did not start" >&2; exit 1; }
    sleep 0.02
done
exec /lib/systemd/systemd --user --log-target=journal-or-kmsg --log-level=debug
"""
# Volatile (in the namespace's /run/log/journal, which is the test's folder), and nothing
# forwarded to the machine's console, syslog or kernel log.
_JOURNALD_CONF = """[Journal]
Storage=volatile
ReadKMsg=no
ForwardToSyslog=no
ForwardToKMsg=no
ForwardToConsole=no
ForwardToWall=no
RateLimitBurst=0
"""


def cgroup_hierarchies() -> list[Path]:
    """Where the cgroup hierarchies systemd uses are mounted: the unified one (cgroup2) and,
    on a hybrid machine, systemd's own named v1 hierarchy."""
    found: list[Path] = []
    for line in Path("/proc/self/mounts").read_text().splitlines():
        _source, target, kind, options, *_ = line.split()
        if kind == "cgroup2" or (kind == "cgroup" and "name=systemd" in options.split(",")):
            found.append(Path(target))
    return found


def unavailable_reason() -> str | None:
    """Why no user manager can run here (None: it can)."""
    for program in (SYSTEMD, JOURNALD, JOURNALD_CONF):
        if not program.exists():
            return f"no {program} (Debian package 'systemd'; make test installs it)"
    for tool in ("unshare", "systemctl", "journalctl", "mount"):
        if shutil.which(tool) is None:
            return f"no {tool} command"
    if os.geteuid() != 0:
        return "not root: the manager needs a mount namespace and cgroups of its own"
    if not Path("/etc/machine-id").exists():
        return "no /etc/machine-id (journald needs one; Debian's systemd package makes it)"
    hierarchies = cgroup_hierarchies()
    if not any((h / "cgroup.subtree_control").exists() for h in hierarchies):
        return "no cgroup2 hierarchy is mounted"
    if not all(os.access(h, os.W_OK) for h in hierarchies):
        return "the cgroup hierarchies are read-only here (a container without cgroup rights)"
    return None


@dataclass
class UserManager:
    base: Path
    process: subprocess.Popen[bytes]
    cgroups: list[Path]
    env: dict[str, str]

    @property
    def runtime_dir(self) -> Path:
        return Path(self.env["XDG_RUNTIME_DIR"])

    @property
    def unit_dir(self) -> Path:
        return Path(self.env["XDG_CONFIG_HOME"]) / "systemd/user"

    def systemctl(
        self, *args: str, check: bool = True, timeout: float = SYSTEMCTL_TIMEOUT_S
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["systemctl", "--user", "--no-pager", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"systemctl --user {' '.join(args)}: exit {done.returncode}\n{done.stderr}"
                + self.journal_tail()
            )
        return done

    def show(self, unit: str, *properties: str) -> dict[str, str]:
        out = self.systemctl("show", unit, "--property=" + ",".join(properties)).stdout
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def monotonic_s(self, unit: str, timestamp: str) -> float:
        """A ``…TimestampMonotonic`` property, in seconds of ``time.monotonic()``'s clock
        (both are CLOCK_MONOTONIC)."""
        return int(self.show(unit, timestamp)[timestamp]) / 1e6

    def journal(self, unit: str | None = None) -> list[str]:
        """The journal's messages, oldest first: all, or the manager's about ``unit`` and
        what ``unit``'s processes wrote. (journald takes a process to be a user unit's only
        in a cgroup under ``user@UID.service``; this manager's is the test's own, so its
        units' output is matched by cgroup.)"""
        group = f"/{self.cgroups[0].name}/app.slice/{unit}"
        which = [f"USER_UNIT={unit}", "+", f"_SYSTEMD_CGROUP={group}"] if unit else []
        folder = str(self.base / "journal")
        done = subprocess.run(
            ["journalctl", "--directory", folder, "--no-pager", "--output=cat", *which],
            capture_output=True,
            text=True,
            timeout=SYSTEMCTL_TIMEOUT_S,
            check=True,
        )
        return done.stdout.splitlines()

    def journal_tail(self, lines: int = 60) -> str:
        """The journal's last lines, without the manager's talk with systemctl."""
        said = [line for line in self.journal() if not _BUS_TALK.match(line)]
        kmsg = (self.base / "kmsg").read_text().splitlines()
        return "\n--- the journal and /dev/kmsg, last lines:\n" + "\n".join(
            said[-lines:] + kmsg[-lines:]
        )

    def write_unit(self, name: str, text: str) -> None:
        (self.unit_dir / name).write_text(text)

    def write_drop_in(self, unit: str, name: str, text: str) -> None:
        folder = self.unit_dir / f"{unit}.d"
        folder.mkdir(exist_ok=True)
        (folder / f"{name}.conf").write_text(text)

    def unit_pids(self, unit: str) -> list[int]:
        """The processes in ``unit``'s cgroup (none once it has stopped)."""
        group = self.show(unit, "ControlGroup")["ControlGroup"].lstrip("/")
        pids: set[int] = set()
        for hierarchy in self.cgroups if group else []:
            for procs in (hierarchy.parent / group).rglob("cgroup.procs"):
                pids.update(map(int, _read_or_empty(procs).split()))
        return sorted(pids)

    def wait_for(self, what: str, check: Callable[[], T | None], timeout_s: float) -> T:
        """Poll ``check`` until it returns something other than None or False, within
        ``timeout_s``; else fail saying what did not happen, with the journal's last words."""
        deadline = time.monotonic() + timeout_s
        while True:
            result = check()
            if result is not None and result is not False:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"not within {timeout_s} s: {what}" + self.journal_tail())
            assert self.process.poll() is None, "the user manager exited" + self.journal_tail()
            time.sleep(POLL_INTERVAL_S)


def _read_or_empty(path: Path) -> str:
    try:
        return path.read_text()
    except FileNotFoundError:  # a cgroup removed while we looked
        return ""


def _kill_everything_in(groups: list[Path]) -> None:
    """SIGKILL every process in ``groups`` and below until none is left, then remove them."""
    for group in groups:
        if (group / "cgroup.kill").exists():  # the whole subtree, forks under way included
            (group / "cgroup.kill").write_text("1")
    deadline = time.monotonic() + START_TIMEOUT_S
    while pids := {
        int(pid)
        for group in groups
        for procs in group.rglob("cgroup.procs")
        for pid in _read_or_empty(procs).split()
    }:
        assert time.monotonic() < deadline, f"still running in {groups}: {sorted(pids)}"
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(POLL_INTERVAL_S)
    for group in groups:
        for folder in sorted(group.rglob("*/"), key=lambda p: len(p.parts), reverse=True):
            folder.rmdir()
        group.rmdir()


@contextlib.contextmanager
def user_manager(base: Path, home: Path) -> Iterator[UserManager]:
    """A running ``systemd --user`` and its journal, with their files under ``base`` and
    ``home`` as its ``$HOME`` (where a unit's ``WorkingDirectory=~`` goes); when the block
    ends, every process it started is killed and its cgroups are removed."""
    for folder in ("runtime", "config/systemd/user", "journal", "no-generators"):
        (base / folder).mkdir(mode=0o700, parents=True)
    (base / "kmsg").touch()
    (base / "journald.conf").write_text(_JOURNALD_CONF)
    (base / "machine-id").write_text(uuid.uuid4().hex + "\n")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(base / "runtime"),
        "XDG_CONFIG_HOME": str(base / "config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "SYSTEMD_UNIT_PATH": f"{base / 'config/systemd/user'}:{STANDARD_USER_UNITS}",
        "SYSTEMD_GENERATOR_PATH": str(base / "no-generators"),
        "SYSTEMD_ENVIRONMENT_GENERATOR_PATH": str(base / "no-generators"),
        "TEST_JOURNAL": str(base / "journal"),
        "TEST_KMSG": str(base / "kmsg"),
        "TEST_JOURNALD_CONF": str(base / "journald.conf"),
        "TEST_MACHINE_ID": str(base / "machine-id"),
    }
    if "TZ" in os.environ:  # the manager's calendar and the test's, the same
        env["TZ"] = os.environ["TZ"]
    name = f"clinic-kiosk-test-{uuid.uuid4().hex[:12]}"
    groups = [hierarchy / name for hierarchy in cgroup_hierarchies()]
    try:
        for group in groups:
            group.mkdir()
        with (base / "kmsg").open("ab") as output:
            process = subprocess.Popen(
                [
                    *("unshare", "--mount", "--propagation", "private", "sh", "-c", _IN_NAMESPACE),
                    *("user-manager", *(str(g / "cgroup.procs") for g in groups)),
                ],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        try:
            manager = UserManager(base, process, groups, env)
            manager.wait_for(
                "the user manager running",
                lambda: (
                    "SystemState=running"
                    in manager.systemctl("show", "--property=SystemState", check=False).stdout
                ),
                START_TIMEOUT_S,
            )
            yield manager
        finally:
            _kill_everything_in([g for g in groups if g.exists()])
            process.wait(START_TIMEOUT_S)
    finally:
        for group in groups:
            if group.exists():
                _kill_everything_in([group])
