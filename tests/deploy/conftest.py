"""The kiosk installed by the real deploy/install.sh into a scratch root, once per run.

``install.sh --root`` builds the wheel from this repository, makes the virtual environment
from Debian's python3 and installs the wheel with its dependencies (offline, from a wheelhouse
made of this run's own packages: tests/deploy/wheelhouse.py), the units, the folders and the
database, without touching the machine itself.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.deploy.wheelhouse import make_wheelhouse
from tests.paths import REPO_ROOT

INSTALL = REPO_ROOT / "deploy" / "install.sh"
UNINSTALL = REPO_ROOT / "deploy" / "uninstall.sh"
INSTALL_TIMEOUT_S = 600


@dataclass(frozen=True)
class Installed:
    root: Path
    wheelhouse: Path
    output: str  # what the first install.sh run printed

    @property
    def venv(self) -> Path:
        return self.root / "opt/clinic-kiosk/venv"


def run_script(script: Path, *args: str | Path) -> str:
    """Run an install script; its output (stdout and stderr together), or a failure that
    shows it."""
    done = subprocess.run(
        [str(script), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=INSTALL_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, f"{script.name} {args} failed:\n{done.stdout}"
    return done.stdout


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("deploy")
    wheelhouse = base / "wheelhouse"
    make_wheelhouse(wheelhouse)
    root = base / "root"
    output = run_script(INSTALL, "--root", root, "--wheelhouse", wheelhouse)
    return Installed(root, wheelhouse, output)
