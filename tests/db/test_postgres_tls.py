"""Connecting as docs/security.md says to (issue 13): TLS with the server's certificate verified
(``sslmode=verify-full``, ``sslrootcert``), and the password from a pgpass or service file, never
in the URL. A throwaway server of its own for this module: TCP on localhost only, ``ssl=on``
with a certificate for ``localhost`` signed by a CA made here with ``openssl``, and a
``pg_hba.conf`` that takes only TLS connections with a SCRAM password."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import text

from db.connection import open_database
from db.problems import DatabaseUnavailableError, Problem
from tests.db.faults import TRACEBACK, closed_port, kiosk
from tests.db.least_privilege import LeastPrivilege
from tests.db.postgres_server import PostgresServer, unavailable_reason
from tests.paths import REPO_ROOT

pytestmark = pytest.mark.postgres

PASSWORD = "correct-horse-battery"
HBA = """\
# The superuser through the test's own socket; everyone else over TLS with a SCRAM password.
local   all  all                  trust
hostssl all  all  127.0.0.1/32    scram-sha-256
hostssl all  all  ::1/128         scram-sha-256
host    all  all  all             reject
"""


def _openssl(*args: str, cwd: Path) -> None:
    done = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True,
                          check=False, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr


def _make_ca(folder: Path, name: str) -> None:
    _openssl("req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-keyout", f"{name}.key", "-out", f"{name}.crt",
             "-days", "2", "-subj", f"/CN={name}", cwd=folder)  # fmt: skip


def make_certificates(folder: Path) -> None:
    """``ca.crt`` (the clinic's CA), ``server.crt``/``.key`` for the name ``localhost`` only
    (not 127.0.0.1), signed by it, and ``other-ca.crt``, a CA that signed nothing here."""
    folder.mkdir()
    _make_ca(folder, "ca")
    _make_ca(folder, "other-ca")
    _openssl("req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost",
             cwd=folder)  # fmt: skip
    (folder / "san.ext").write_text("subjectAltName=DNS:localhost\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext",
             cwd=folder)  # fmt: skip


@dataclass(frozen=True)
class TlsServer:
    server: PostgresServer
    certificates: Path
    clinic: LeastPrivilege

    def url(self, user: str, *, host: str = "localhost", ca: str = "ca.crt") -> str:
        """The URL a kiosk is given: no password, the server's certificate verified."""
        return (
            f"postgresql+psycopg://{user}@{host}:{self.server.port}/{self.clinic.database}"
            f"?sslmode=verify-full&sslrootcert={self.certificates / ca}"
        )


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    reason = unavailable_reason() or (None if shutil.which("openssl") else "no openssl")
    if reason:
        pytest.skip(reason)
    certificates = tmp_path_factory.mktemp("tls") / "certificates"
    make_certificates(certificates)

    def prepare(data: Path, give: Callable[[Path], None]) -> None:
        for name in ("server.crt", "server.key"):
            shutil.copy(certificates / name, data / name)
            (data / name).chmod(0o600)
            give(data / name)
        (data / "pg_hba.conf").write_text(HBA)

    settings = {
        "listen_addresses": "localhost",
        "port": str(closed_port()),
        "ssl": "on",
        "ssl_cert_file": "server.crt",
        "ssl_key_file": "server.key",
        "password_encryption": "scram-sha-256",
    }
    with PostgresServer.start(settings=settings, prepare=prepare) as server:
        clinic = LeastPrivilege.make(server)
        for role in (clinic.owner, clinic.kiosk):
            _set_password(server, role)
        yield TlsServer(server, certificates, clinic)


def _set_password(server: PostgresServer, role: str) -> None:
    """What ``\\password ROLE`` in psql does: the password goes to the server, not to a log."""
    statement = sql.SQL("ALTER ROLE {} PASSWORD {}").format(
        sql.Identifier(role), sql.Literal(PASSWORD)
    )
    with psycopg.connect(
        host=str(server.socket_dir), port=server.port, user="kiosk", dbname="postgres",
        autocommit=True,
    ) as connection:  # fmt: skip
        connection.execute(statement)


@pytest.fixture
def pgpass(tls_server: TlsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The kiosk user's pgpass file, 0600 (libpq ignores one others may read), for both roles."""
    path = tmp_path / "pgpass"
    clinic = tls_server.clinic
    path.write_text(
        "".join(
            f"localhost:{tls_server.server.port}:{clinic.database}:{role}:{PASSWORD}\n"
            for role in (clinic.owner, clinic.kiosk)
        )
    )
    path.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path


def _no_pgpass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))


def test_the_owner_migrates_and_a_kiosk_connects_with_the_password_from_pgpass(
    tls_server: TlsServer, pgpass: Path
) -> None:
    clinic = tls_server.clinic
    # The owner runs the real `kiosk db upgrade`, its password in PGPASSFILE, none in the URL.
    owner_url = tls_server.url(clinic.owner)
    upgraded = subprocess.run(kiosk("db", "upgrade", "--db", owner_url), capture_output=True,
                              text=True, cwd=REPO_ROOT, timeout=120, check=False,
                              env=dict(os.environ, PGPASSFILE=str(pgpass)))  # fmt: skip
    assert upgraded.returncode == 0, upgraded.stderr
    assert PASSWORD not in upgraded.stdout + upgraded.stderr
    clinic.run_roles_sql()
    engine = open_database(tls_server.url(clinic.kiosk))
    try:
        with engine.connect() as connection:
            ssl = connection.execute(
                text("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).one()
            user = connection.execute(text("SELECT current_user")).scalar_one()
        assert ssl[0] is True
        assert str(ssl[1]).startswith("TLSv1.")
        assert user == clinic.kiosk
    finally:
        engine.dispose()


def test_without_the_password_file_the_login_is_refused_in_one_sentence(
    tls_server: TlsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_pgpass(tmp_path, monkeypatch)
    with pytest.raises(DatabaseUnavailableError) as raised:
        open_database(tls_server.url(tls_server.clinic.kiosk))
    assert raised.value.problem is Problem.LOGIN_REFUSED
    assert "no password supplied" in str(raised.value)


def test_a_service_file_names_the_server_and_the_url_names_only_the_service(
    tls_server: TlsServer, pgpass: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic = tls_server.clinic
    service = tmp_path / "pg_service.conf"
    service.write_text(
        "[clinic-kiosk]\n"
        "host=localhost\n"
        f"port={tls_server.server.port}\n"
        f"dbname={clinic.database}\n"
        f"user={clinic.kiosk}\n"
        "sslmode=verify-full\n"
        f"sslrootcert={tls_server.certificates / 'ca.crt'}\n"
    )
    monkeypatch.setenv("PGSERVICEFILE", str(service))
    clinic.run_roles_sql()
    open_database(tls_server.url(clinic.owner)).dispose()  # migrated (the owner)
    engine = open_database("postgresql+psycopg://?service=clinic-kiosk")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT current_user")).scalar_one() == clinic.kiosk
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("host", "ca", "says"),
    [
        ("127.0.0.1", "ca.crt", 'does not match host name "127.0.0.1"'),
        ("localhost", "other-ca.crt", "certificate verify failed"),
    ],
    ids=["wrong-host-name", "wrong-ca"],
)
def test_a_server_whose_certificate_does_not_verify_is_refused(
    tls_server: TlsServer, pgpass: Path, host: str, ca: str, says: str
) -> None:
    url = tls_server.url(tls_server.clinic.kiosk, host=host, ca=ca)
    with pytest.raises(DatabaseUnavailableError) as raised:
        open_database(url)
    assert raised.value.problem is Problem.NOT_VERIFIED
    assert says in str(raised.value)
    assert "sslrootcert" in str(raised.value)

    child = subprocess.run(kiosk("--db", url, "today"), capture_output=True, text=True,
                           cwd=REPO_ROOT, timeout=120, check=False,
                           env=dict(os.environ, PGPASSFILE=str(pgpass)))  # fmt: skip
    assert child.returncode == 3, child.stderr
    assert TRACEBACK not in child.stderr
    assert says in child.stderr
