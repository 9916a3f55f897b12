"""Reading deploy/'s systemd units as systemd does, enough to run their commands here.

These build machines run no systemd as PID 1, so the tests run a unit's ``ExecStart=``,
``ExecStop=``... themselves, with the unit's ``Environment=``: :func:`command_line` applies
systemd's escapes (``%%``, ``$$``) and its substitution of ``${VAR}`` and of a word that is
``$VAR`` (split at whitespace), which is all these units use.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.paths import REPO_ROOT

SYSTEMD_DIR = REPO_ROOT / "deploy" / "systemd"
#: Installed on every kiosk by deploy/install.sh (the PostgreSQL dump units are samples).
KIOSK_UNITS = (
    "clinic-kiosk.service",
    "clinic-kiosk-out-of-order.service",
    "clinic-kiosk-x11.service",
    "clinic-kiosk-x11-out-of-order.service",
    "clinic-kiosk-backup.service",
    "clinic-kiosk-backup.timer",
)
ALL_UNITS = tuple(sorted(p.name for p in SYSTEMD_DIR.iterdir()))

_VARIABLE = re.compile(r"\$\{(\w+)\}")


@dataclass(frozen=True)
class Command:
    """One ``Exec*=`` line: the argv, and whether a failure is ignored (``-``) or it runs
    with full privileges (``+``)."""

    argv: list[str]
    ignore_failure: bool
    privileged: bool


class Unit:
    """A unit file's settings: each key's values in order (keys repeat: After=, ExecStop=)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.settings: dict[str, list[str]] = {}
        for raw in path.read_text().splitlines():
            line = raw.strip()
            if not line or line.startswith(("#", ";", "[")):
                continue
            key, _, value = line.partition("=")
            self.settings.setdefault(key.strip(), []).append(value.strip())

    @classmethod
    def named(cls, name: str) -> Unit:
        return cls(SYSTEMD_DIR / name)

    def value(self, key: str) -> str:
        (only,) = self.settings[key]
        return only

    def values(self, key: str) -> list[str]:
        return self.settings.get(key, [])

    def environment(self) -> dict[str, str]:
        env: dict[str, str] = {}
        for line in self.values("Environment"):
            for assignment in shlex.split(line):
                name, _, value = assignment.partition("=")
                env[name] = value
        return env

    def commands(self, key: str, env: Mapping[str, str]) -> list[Command]:
        return [command_line(line, env) for line in self.values(key)]


def command_line(line: str, env: Mapping[str, str]) -> Command:
    prefixes = re.match(r"[-+@:!]*", line)
    prefix = prefixes.group(0) if prefixes else ""
    argv: list[str] = []
    for word in shlex.split(line[len(prefix) :]):
        if re.fullmatch(r"\$\w+", word):
            argv += env.get(word[1:], "").split()
            continue
        word = _VARIABLE.sub(lambda m: env.get(m.group(1), ""), word)
        argv.append(word.replace("%%", "%").replace("$$", "$"))
    return Command(argv, ignore_failure="-" in prefix, privileged="+" in prefix)
