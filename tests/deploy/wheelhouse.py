"""A wheelhouse for ``deploy/install.sh --wheelhouse``, made offline from this test run's own
environment: every distribution the kiosk needs at run time (with the ``postgres``,
``natural`` and ``voice-control`` extras) and
at build time (setuptools, wheel), packed back into a wheel from the files its RECORD lists.

The tests must not reach the internet, and the installer's pip must find everything it asks
for (``--no-index --find-links``): these are the very files pip installed into ``.venv`` from
PyPI. Scripts outside site-packages (``../../bin/...``) are left out: pip makes the entry
points again from ``entry_points.txt``, as for any wheel.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

KIOSK = "clinic-gym-kiosk"
BUILD_REQUIREMENTS = ("setuptools", "wheel")
# pip's own bookkeeping about how the files came here; a fresh install writes its own.
_NOT_SHIPPED = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}


def make_wheelhouse(directory: Path) -> list[Path]:
    """Write a wheel of each distribution the installer needs into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    names = _needed_by(KIOSK, extras={"postgres", "natural", "voice-control"}) | {
        name for requirement in BUILD_REQUIREMENTS for name in _needed_by(requirement)
    }
    # voice-control's recogniser by name too: a venv installed before that extra existed has
    # it (the bench extra) but its metadata does not list it under voice-control.
    names |= _needed_by("pocketsphinx")
    return [_repack(metadata.distribution(name), directory) for name in sorted(names)]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _needed_by(name: str, extras: set[str] | None = None) -> set[str]:
    """``name``'s installed run-time requirements, recursively (``name`` itself excluded when
    it is the kiosk, which the installer builds from source)."""
    seen: set[str] = set()
    pending = [(name, extras or set())]
    while pending:
        current, wanted_extras = pending.pop()
        dist = metadata.distribution(current)
        key = _canonical(dist.metadata["Name"])
        if key in seen and not wanted_extras:
            continue
        seen.add(key)
        for line in dist.requires or []:
            requirement = Requirement(line)
            environments = [{"extra": extra} for extra in wanted_extras] or [{"extra": ""}]
            if requirement.marker is not None and not any(
                requirement.marker.evaluate(env) for env in environments
            ):
                continue
            pending.append((requirement.name, set(requirement.extras)))
    seen.discard(KIOSK)
    return seen


def _repack(dist: metadata.Distribution, directory: Path) -> Path:
    files = [f for f in dist.files or [] if not str(f).startswith("..")]
    info_dir = next(str(f).split("/")[0] for f in files if ".dist-info/" in str(f))
    wheel_info = dist.read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip() for line in wheel_info.splitlines() if "Tag:" in line]
    python, abi, platform = (sorted({tag.split("-")[i] for tag in tags}) for i in range(3))
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"])
    target = directory / (
        f"{name}-{dist.version}-{'.'.join(python)}-{'.'.join(abi)}-{'.'.join(platform)}.whl"
    )
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as wheel:
        for file in files:
            path = str(file)
            if "__pycache__" in path or path.endswith(".pyc"):
                continue
            if path.startswith(info_dir + "/") and path.split("/", 1)[1] in _NOT_SHIPPED:
                continue
            wheel.write(file.locate(), path)
            writer.writerow((path, "", ""))
        writer.writerow((f"{info_dir}/RECORD", "", ""))
        wheel.writestr(f"{info_dir}/RECORD", record.getvalue())
    return target
