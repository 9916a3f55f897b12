"""deploy/install.sh and deploy/uninstall.sh, run for real in a scratch root (``--root``).

What ``--root`` leaves out is only what needs the live machine: Debian's packages, the user
(so files stay the test's) and a running systemd (``systemctl --root`` makes the same enable
links offline). docs/deployment.md, "What was tested where", says what was run elsewhere.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.deploy.conftest import INSTALL, UNINSTALL, Installed, run_script
from tests.deploy.units import KIOSK_UNITS, SYSTEMD_DIR, Unit
from tests.paths import REPO_ROOT

pytestmark = pytest.mark.slow

DATA = "var/lib/clinic-kiosk"
BACKUPS = "var/backups/clinic-kiosk"
CONFIG = "etc/clinic-kiosk"
UNIT_DIR = "etc/systemd/system"


def manifest(root: Path) -> dict[str, tuple[object, ...]]:
    """Every path under ``root``: its type, mode, owner, and content (a file's hash and
    modification time, a link's target). Equal manifests: nothing was changed."""
    entries: dict[str, tuple[object, ...]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        common = (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), info.st_uid)
        if path.is_symlink():
            detail: tuple[object, ...] = (os.readlink(path),)
        elif path.is_file():
            detail = (hashlib.sha256(path.read_bytes()).hexdigest(), info.st_mtime_ns)
        else:
            detail = ()
        entries[str(path.relative_to(root))] = common + detail
    return entries


def kiosk(installed: Installed, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(installed.venv / "bin/kiosk"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=installed.root / DATA,  # not this repository, whose kiosk/ would be imported
        env={**os.environ, "HOME": str(installed.root / DATA)},
    )


def test_the_wheel_is_installed_in_its_own_venv_from_debians_python(installed: Installed) -> None:
    config = (installed.venv / "pyvenv.cfg").read_text()
    assert re.search(r"^home = /usr/bin$", config, re.MULTILINE), config
    where = subprocess.run(
        [str(installed.venv / "bin/python"), "-c", "import kiosk, db; print(kiosk.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=installed.root / DATA,
    ).stdout
    # The wheel's copy, not this repository (no checkout, no editable install on a kiosk).
    assert where.startswith(str(installed.venv / "lib/python3.11/site-packages/kiosk/"))
    listed = kiosk(installed, "library", "list")
    assert listed.returncode == 0, listed.stderr
    assert "clamshell" in listed.stdout  # the library's TOML files came with the wheel
    # The PostgreSQL driver too: one install serves a kiosk on either database.
    subprocess.run([str(installed.venv / "bin/python"), "-c", "import psycopg"], check=True)


_SPEAK_NATURALLY = """
import sys
from pathlib import Path
from voice.piper_backend import PiperSynthesizer
from voice.wav import check_speech
synth = PiperSynthesizer()
try:
    synth.render("Lift your top knee.", Path(sys.argv[1]), voice=None, rate=150)
finally:
    synth.close()
print(round(check_speech(Path(sys.argv[1])).seconds, 2))
"""


def test_the_installed_kiosk_has_the_natural_voice(installed: Installed, tmp_path: Path) -> None:
    """Staff can choose the natural voice on an installed kiosk: Piper and its voice come
    with the install (the ``natural`` extra), and its worker speaks from the kiosk's venv."""
    wav = tmp_path / "natural.wav"
    spoken = subprocess.run(
        [str(installed.venv / "bin/python"), "-c", _SPEAK_NATURALLY, str(wav)],
        capture_output=True, text=True, timeout=120, check=False, cwd=installed.root / DATA,
    )  # fmt: skip
    assert spoken.returncode == 0, spoken.stderr
    assert float(spoken.stdout.strip()) > 0.5


def test_every_kiosk_path_the_units_name_is_installed(installed: Installed) -> None:
    for name in KIOSK_UNITS:
        for key, values in Unit.named(name).settings.items():
            if not key.startswith("Exec"):
                continue
            for path in re.findall(r"/opt/clinic-kiosk/\S+", " ".join(values)):
                target = installed.root / path.lstrip("/")
                assert os.access(target, os.X_OK), f"{name}: {path}"


def test_install_makes_the_folders_the_database_and_the_enabled_units(installed: Installed) -> None:
    root = installed.root
    assert stat.S_IMODE((root / DATA).stat().st_mode) == 0o700
    assert stat.S_IMODE((root / BACKUPS).stat().st_mode) == 0o700
    assert stat.S_IMODE((root / CONFIG / "kiosk.env").stat().st_mode) == 0o600
    # The database exists and is migrated: the installed kiosk opens it without --create-db.
    database = f"sqlite:///{root / DATA / 'kiosk.sqlite3'}"
    listed = kiosk(installed, "patients", "list", "--db", database)
    assert listed.returncode == 0, listed.stderr
    for name in KIOSK_UNITS:
        assert (root / UNIT_DIR / name).read_bytes() == (SYSTEMD_DIR / name).read_bytes()
    wants = {
        path.relative_to(root / UNIT_DIR).as_posix(): os.readlink(path)
        for path in (root / UNIT_DIR).glob("*.wants/*")
    }
    assert wants == {
        f"{target}.wants/{unit}": f"/etc/systemd/system/{unit}"
        for target, unit in [
            ("multi-user.target", "clinic-kiosk.service"),
            ("timers.target", "clinic-kiosk-backup.timer"),
        ]
    }
    assert os.access(root / "usr/local/sbin/clinic-kiosk-admin", os.X_OK)
    assert (root / "opt/clinic-kiosk/share/deployment.md").is_file()
    shipped = root / "opt/clinic-kiosk/share/postgresql/roles.sql"  # for the database server
    assert shipped.read_bytes() == (REPO_ROOT / "deploy/postgresql/roles.sql").read_bytes()


def test_running_install_again_changes_nothing(installed: Installed) -> None:
    before = manifest(installed.root)
    output = run_script(INSTALL, "--root", installed.root, "--wheelhouse", installed.wheelhouse)
    assert manifest(installed.root) == before
    assert "already installed, unchanged" in output
    assert "all up to date" in output
    assert "kiosk.env exists: kept as it is" in output


def test_uninstall_removes_what_install_added_and_keeps_the_data(
    installed: Installed, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    shutil.copytree(installed.root, root, symlinks=True)
    (root / DATA / "kiosk.sqlite3").write_bytes(b"the clinic's data")
    (root / BACKUPS / "kiosk-2025-03-01.sqlite3").write_bytes(b"a backup")
    (root / CONFIG / "kiosk.env").write_text("KIOSK_LANGUAGE=de\n")
    kept = {
        str(path.relative_to(root)): path.read_bytes()
        for folder in (DATA, BACKUPS, CONFIG)
        for path in (root / folder).iterdir()
    }

    output = run_script(UNINSTALL, "--root", root)

    files_left = {str(p.relative_to(root)) for p in root.rglob("*") if not p.is_dir()}
    assert files_left == set(kept)
    assert {path: (root / path).read_bytes() for path in kept} == kept
    assert not (root / "opt/clinic-kiosk").exists()
    assert not list((root / UNIT_DIR).rglob("clinic-kiosk*"))
    assert not (root / "usr/local/sbin/clinic-kiosk-admin").exists()
    assert "--purge" in output  # says how to remove the data too

    run_script(UNINSTALL, "--root", root, "--purge")
    assert not [p for p in root.rglob("*") if p.is_file() or p.is_symlink()]


def test_install_sh_switches_between_cage_and_x11(installed: Installed, tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(installed.root, root, symlinks=True)
    wants = root / UNIT_DIR / "multi-user.target.wants"
    # A copy's venv scripts still name the original root; the wheel is unchanged, so no pip.
    run_script(INSTALL, "--root", root, "--wheelhouse", installed.wheelhouse, "--x11")
    assert sorted(p.name for p in wants.iterdir()) == ["clinic-kiosk-x11.service"]
    run_script(INSTALL, "--root", root, "--wheelhouse", installed.wheelhouse)
    assert sorted(p.name for p in wants.iterdir()) == ["clinic-kiosk.service"]


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
def test_the_scripts_are_shellcheck_clean() -> None:
    scripts = [INSTALL, UNINSTALL, REPO_ROOT / "deploy/clinic-kiosk-admin"]
    done = subprocess.run(["shellcheck", *map(str, scripts)], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "")
