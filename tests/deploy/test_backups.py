"""The backup units' own commands, run here as systemd would run them (no systemd is PID 1 on
these machines): each writes a backup that restores to the data it was taken from."""

from __future__ import annotations

import os
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest

from db.connection import open_database
from kiosk.cli import main
from tests.db.postgres_server import PostgresServer, unavailable_reason
from tests.deploy.conftest import Installed
from tests.deploy.units import Unit

pytestmark = pytest.mark.slow
DAY_S = 24 * 3600


@pytest.mark.skipif(unavailable_reason() is not None, reason=str(unavailable_reason()))
def test_the_pg_dump_unit_writes_a_dump_that_restores(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    url = postgres_server.create_database("clinic_dumped")
    open_database(url).dispose()  # the kiosk's schema, migrated
    assert main(["--db", url, "patients", "add", "Maria"]) == 0
    patients = postgres_server.query("clinic_dumped", "SELECT code, display_name FROM patients")
    assert [name for _code, name in patients] == ["Maria"]
    unit = Unit.named("clinic-kiosk-pg-dump.service")
    backups = tmp_path / "pg-backups"
    env = {
        **os.environ,
        **unit.environment(),
        "BACKUP_DIR": str(backups),
        "PGDATABASE": "clinic_dumped",
        "PGHOST": str(postgres_server.socket_dir),
        "PGUSER": "kiosk",
        "PATH": f"{postgres_server.bindir}:{os.environ['PATH']}",
    }
    backups.mkdir()
    old, recent = backups / "clinic_dumped-old.dump", backups / "clinic_dumped-recent.dump"
    for path, age_days in ((old, 20), (recent, 3)):
        path.write_bytes(b"an earlier night's dump")
        os.utime(path, (time.time() - age_days * DAY_S,) * 2)

    for key in ("ExecStartPre", "ExecStart", "ExecStartPost"):
        for command in unit.commands(key, env):
            subprocess.run(command.argv, env=env, check=True, timeout=120)

    tonight = backups / f"clinic_dumped-{date.today():%Y-%m-%d}.dump"
    assert sorted(p.name for p in backups.iterdir()) == sorted([recent.name, tonight.name])
    postgres_server.admin("CREATE DATABASE {}", "clinic_restored")
    subprocess.run(
        [
            str(postgres_server.bindir / "pg_restore"),
            "--no-owner",
            "-d",
            "clinic_restored",
            str(tonight),
        ],
        env=env,
        check=True,
        timeout=120,
    )
    assert (
        postgres_server.query("clinic_restored", "SELECT code, display_name FROM patients")
        == patients
    )


def test_the_backup_unit_writes_a_backup_that_restores(
    installed: Installed, tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    kiosk = str(installed.venv / "bin/kiosk")
    env = {**os.environ, "HOME": str(tmp_path), "KIOSK_DATABASE_URL": database}

    def run(*args: str) -> str:
        done = subprocess.run(
            [kiosk, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("db", "upgrade", "--create-db")
    run("patients", "add", "Maria")
    backups = tmp_path / "backups"
    backups.mkdir()
    unit = Unit.named("clinic-kiosk-backup.service")
    (command,) = unit.commands("ExecStart", {**unit.environment(), **env})
    argv = [kiosk if a.endswith("/bin/kiosk") else a for a in command.argv]
    argv = [str(backups) if a == "/var/backups/clinic-kiosk" else a for a in argv]
    subprocess.run(argv, env=env, cwd=tmp_path, check=True, timeout=120)
    (backup,) = [p for p in backups.rglob("*") if p.is_file()]
    run("patients", "add", "Tom")
    run("restore", str(backup))
    assert "Tom" not in run("patients", "list")
    assert "Maria" in run("patients", "list")
