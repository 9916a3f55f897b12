"""The least-privilege set-up of docs/security.md on the throwaway server: ``deploy/postgresql/
roles.sql`` run by the real ``psql`` as the superuser, which makes an owner role (it migrates)
and a kiosk role (it reads and writes rows), and the database they share."""

from __future__ import annotations

import itertools
import subprocess
from dataclasses import dataclass

from tests.db.postgres_server import SUPERUSER, PostgresServer
from tests.paths import REPO_ROOT

ROLES_SQL = REPO_ROOT / "deploy" / "postgresql" / "roles.sql"
_numbers = itertools.count(1)


@dataclass(frozen=True)
class LeastPrivilege:
    """One clinic's database with its two roles (names unique in the cluster)."""

    server: PostgresServer
    database: str
    owner: str
    kiosk: str

    @classmethod
    def make(cls, server: PostgresServer) -> LeastPrivilege:
        n = next(_numbers)
        made = cls(server, f"clinic_lp_{n}", f"clinic_owner_{n}", f"clinic_kiosk_{n}")
        made.run_roles_sql()
        return made

    def run_roles_sql(self) -> str:
        """``psql -f roles.sql`` as the file's header says to run it; returns its output."""
        result = subprocess.run(
            [
                str(self.server.bindir / "psql"),
                "-X",
                "-v", "ON_ERROR_STOP=1",
                "-v", f"db={self.database}",
                "-v", f"owner={self.owner}",
                "-v", f"kiosk={self.kiosk}",
                "-h", str(self.server.socket_dir),
                "-p", str(self.server.port),
                "-U", SUPERUSER,
                "-d", "postgres",
                "-f", str(ROLES_SQL),
            ],
            capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    @property
    def owner_url(self) -> str:
        return self.server.url(self.database, user=self.owner)

    @property
    def kiosk_url(self) -> str:
        return self.server.url(self.database, user=self.kiosk)

    def drop(self) -> None:
        self.server.drop_database(self.database)
        for role in (self.kiosk, self.owner):
            self.server.admin("DROP ROLE IF EXISTS {}", role)
