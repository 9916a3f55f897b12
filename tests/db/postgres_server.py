"""A throwaway PostgreSQL server for the database tests: its own cluster in a temporary
directory, reachable only through a unix socket in that directory (no TCP port to collide
with a real server or another test run), stopped and deleted at the end.

The server refuses to run as root, and CI runs as root: then the cluster belongs to an
unprivileged user (``postgres``, made by Debian's package, else ``nobody``) and the server
processes are started as that user. Readiness is the server's own "ready to accept
connections" log line, read as it is written: no sleeping, no polling.

Settings are for speed on a throwaway cluster (``fsync=off``: nothing here must survive a
power cut) and for catching mistakes: the session time zone is deliberately not UTC, so a
datetime that is not converted to UTC on its way in or out shows up as a wrong hour.
"""

from __future__ import annotations

import contextlib
import glob
import importlib.util
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

SUPERUSER = "kiosk"
SHARED_DATABASE = "kiosk_shared"
# Half-hour offset, and daylight saving: an hour or a zone mix-up cannot pass unnoticed.
SERVER_TIME_ZONE = "America/St_Johns"
READY_LINE = "database system is ready to accept connections"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
_LOG_LINES_KEPT = 200
# A unix socket path is limited to 107 bytes; "/.s.PGSQL.5432" takes 14 of them.
_SOCKET_DIR_MAX = 90


class PostgresUnavailableError(RuntimeError):
    """No PostgreSQL server binaries here, or no user they may run as: the tests skip."""


def find_bindir() -> Path:
    """The directory holding ``initdb`` and ``postgres`` (the newest version installed).

    ``initdb`` on the PATH first (resolved through symlinks, so its own ``postgres`` is used
    with it), then Debian's ``/usr/lib/postgresql/<version>/bin``, which is not on the PATH.
    """
    candidates: list[Path] = []
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(os.path.realpath(on_path)).parent)
    debian = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted((Path(d) for d in debian), key=_version_key, reverse=True)
    for directory in candidates:
        if all(os.access(directory / tool, os.X_OK) for tool in ("initdb", "postgres")):
            return directory
    raise PostgresUnavailableError(
        "PostgreSQL server binaries (initdb, postgres) not found on PATH or in "
        "/usr/lib/postgresql/*/bin: install the Debian package 'postgresql'"
    )


def _version_key(bindir: Path) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in bindir.parent.name.split("."))
    except ValueError:
        return (0,)


@dataclass(frozen=True)
class _RunAs:
    """Who the server runs as: the current user, or (under root) an unprivileged one."""

    uid: int
    gid: int
    name: str

    def popen_options(self) -> dict[str, Any]:
        if self.uid == os.geteuid():
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}


def _server_user() -> _RunAs:
    if os.geteuid() != 0:
        entry = pwd.getpwuid(os.geteuid())
        return _RunAs(entry.pw_uid, entry.pw_gid, entry.pw_name)
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        if entry.pw_uid != 0:
            return _RunAs(entry.pw_uid, entry.pw_gid, name)
    raise PostgresUnavailableError(
        "tests run as root, PostgreSQL refuses to, and there is no 'postgres' or 'nobody' "
        "user to run it as"
    )


def unavailable_reason() -> str | None:
    """Why no throwaway server can be started here, or None if it can."""
    if importlib.util.find_spec("psycopg") is None:
        return "the PostgreSQL driver psycopg is not installed (pip install -e '.[test]')"
    try:
        find_bindir()
        _server_user()
    except PostgresUnavailableError as error:
        return str(error)
    return None


class PostgresServer:
    """One running throwaway cluster. Use :meth:`start` as a context manager."""

    def __init__(
        self, root: Path, bindir: Path, process: subprocess.Popen[str], port: int = 5432
    ) -> None:
        self.root = root
        self.bindir = bindir
        self.socket_dir = root
        #: The port in the socket's name (and the TCP port, if the server listens on one).
        self.port = port
        self._process = process
        self._log: deque[str] = deque(maxlen=_LOG_LINES_KEPT)
        self._ready = threading.Event()
        self._reader = threading.Thread(target=self._read_log, name="postgres-log", daemon=True)
        self._reader.start()

    # -- life cycle ------------------------------------------------------------------------

    @classmethod
    @contextlib.contextmanager
    def start(
        cls,
        *,
        settings: dict[str, str] | None = None,
        prepare: Callable[[Path, Callable[[Path], None]], None] | None = None,
        data: Path | None = None,
    ) -> Iterator[PostgresServer]:
        """initdb a new cluster, start it, yield it; stop it and delete everything after.

        ``settings`` add to (or replace) the server's own (a TCP port, ``ssl=on``...);
        ``prepare(data_dir, give)`` runs between initdb and the start, to write files into the
        cluster (``pg_hba.conf``, certificates): ``give(path)`` hands one to the server's user.
        ``data``: a copy of this data directory (one :meth:`save_data` wrote: the benchmarks'
        generated history) instead of a new cluster.
        """
        bindir = find_bindir()
        run_as = _server_user()
        root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        if len(str(root)) > _SOCKET_DIR_MAX:
            shutil.rmtree(root)
            root = Path(tempfile.mkdtemp(prefix="kiosk-pg-", dir="/tmp"))
        try:
            os.chown(root, run_as.uid, run_as.gid)
            if data is None:
                cls._initdb(bindir, root, run_as)
            else:
                shutil.copytree(data, root / "data", symlinks=True)
                for folder, _, files in os.walk(root / "data"):
                    for name in (folder, *(os.path.join(folder, f) for f in files)):
                        os.chown(name, run_as.uid, run_as.gid)
            if prepare is not None:
                prepare(root / "data", lambda path: os.chown(path, run_as.uid, run_as.gid))
            process = cls._spawn(bindir, root, run_as, settings or {})
            server = cls(root, bindir, process, int((settings or {}).get("port", 5432)))
            try:
                server._wait_until_ready()
                yield server
            finally:
                server.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)

    @staticmethod
    def _initdb(bindir: Path, root: Path, run_as: _RunAs) -> None:
        command = [
            str(bindir / "initdb"),
            "--pgdata",
            str(root / "data"),
            "--username",
            SUPERUSER,
            "--auth",
            "trust",  # only this user's processes (and root) can reach the socket directory
            "--encoding",
            "UTF8",
            "--no-sync",
        ]
        result = subprocess.run(
            [*command, "--locale", "C.UTF-8"],
            capture_output=True,
            text=True,
            cwd=root,
            check=False,
            **run_as.popen_options(),
        )
        if result.returncode != 0 and "locale" in result.stderr.lower():
            shutil.rmtree(root / "data", ignore_errors=True)
            result = subprocess.run(
                [*command, "--no-locale"],
                capture_output=True,
                text=True,
                cwd=root,
                check=False,
                **run_as.popen_options(),
            )
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed ({result.returncode}):\n{result.stderr}")

    @staticmethod
    def _spawn(
        bindir: Path, root: Path, run_as: _RunAs, extra: dict[str, str]
    ) -> subprocess.Popen[str]:
        settings = {
            "listen_addresses": "",  # no TCP at all: the unix socket only
            "unix_socket_directories": str(root),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            # A TRUNCATE between tests would wait for autovacuum to give way (a second or
            # more); a cluster that lives a minute needs no vacuuming.
            "autovacuum": "off",
            "shared_buffers": "16MB",
            "max_connections": "50",
            "TimeZone": SERVER_TIME_ZONE,
            "lc_messages": "C",  # READY_LINE is matched in English
            **extra,
        }
        command = [str(bindir / "postgres"), "-D", str(root / "data")]
        for name, value in settings.items():
            command += ["-c", f"{name}={value}"]
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=root,
            **run_as.popen_options(),
        )

    def _read_log(self) -> None:
        """Keep the server's stderr drained; note when it says it is ready."""
        assert self._process.stderr is not None
        for line in self._process.stderr:
            self._log.append(line.rstrip("\n"))
            if READY_LINE in line:
                self._ready.set()
        self._ready.set()  # EOF: the server is gone; _wait_until_ready reports it

    def _wait_until_ready(self) -> None:
        if not self._ready.wait(START_TIMEOUT_S) or self._process.poll() is not None:
            raise RuntimeError(f"PostgreSQL did not start:\n{self.log_tail()}")

    def stop(self) -> None:
        """Fast shutdown (clients are disconnected, not waited for); kill if it hangs."""
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)
            try:
                self._process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._reader.join(STOP_TIMEOUT_S)
        if self._process.stderr is not None:
            self._process.stderr.close()

    def save_data(self, target: Path) -> None:
        """Stop the server and copy its data directory to ``target`` (for ``start(data=)``)."""
        self.stop()
        shutil.copytree(self.root / "data", target, symlinks=True)

    def log_tail(self) -> str:
        return "\n".join(self._log)

    # -- databases -------------------------------------------------------------------------

    def url(self, database: str, *, user: str = SUPERUSER) -> str:
        """A SQLAlchemy URL for ``database`` through the unix socket, with psycopg 3."""
        from sqlalchemy.engine import URL

        url = URL.create(
            "postgresql+psycopg",
            username=user,
            database=database,
            query={"host": str(self.socket_dir)}
            | ({"port": str(self.port)} if self.port != 5432 else {}),
        )
        return url.render_as_string(hide_password=False)

    def admin(self, statement: str, *identifiers: str) -> None:
        """Run one statement as the superuser, outside a transaction (CREATE DATABASE...);
        ``{}`` in it are replaced by ``identifiers``, quoted."""
        import psycopg
        from psycopg import sql

        query = sql.SQL(statement).format(*(sql.Identifier(i) for i in identifiers))
        with psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user=SUPERUSER,
            dbname="postgres",
            autocommit=True,
            # A test that leaked a connection must fail, not hang the run.
            options="-c lock_timeout=5000",
        ) as connection:
            connection.execute(query)

    def query(self, database: str, statement: str) -> list[tuple[Any, ...]]:
        """Rows of one statement run as the superuser in ``database`` (autocommit)."""
        import psycopg

        with psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user=SUPERUSER,
            dbname=database,
            autocommit=True,
            options="-c lock_timeout=5000",
        ) as connection:
            cursor = connection.execute(statement.encode())
            return cursor.fetchall() if cursor.description else []

    def create_database(self, name: str) -> str:
        """A new, empty database; returns its URL."""
        self.admin("CREATE DATABASE {}", name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


class SharedDatabase:
    """The database behind ``engine`` on PostgreSQL: made and migrated once, the way a kiosk's
    first start migrates a new server (``open_database``: 0001 to the head through Alembic),
    then emptied after each test. One engine serves every test: a new connection costs the
    server a process, and a kiosk keeps its pool all day too."""

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        self.url = server.url(SHARED_DATABASE)
        self.engine: Engine | None = None
        self._admin: Any = None  # a psycopg connection
        self._rebuild()

    def _rebuild(self) -> None:
        self.close()
        self.server.drop_database(SHARED_DATABASE)
        self.server.create_database(SHARED_DATABASE)
        from db.connection import open_database

        self.engine = open_database(self.url)

    def _admin_connection(self) -> Any:
        import psycopg

        if self._admin is None or self._admin.closed:
            self._admin = psycopg.connect(
                host=str(self.server.socket_dir),
                port=self.server.port,
                user=SUPERUSER,
                dbname=SHARED_DATABASE,
                autocommit=True,
                options="-c lock_timeout=5000",  # a leaked transaction fails the run, not hangs it
            )
        return self._admin

    def empty(self) -> None:
        """Delete every row and restart the ids (so they start at 1, as in a new file); make
        the database again if a test left another schema (stopped half-way in a downgrade)."""
        import psycopg

        for attempt in range(2):
            try:
                self._admin_connection().execute(_empty_statement())
                return
            except psycopg.OperationalError:  # our connection was dropped (a test does that)
                self._admin.close()
                self._admin = None
                if attempt:
                    break
            except psycopg.Error:
                break
        self._rebuild()

    def close(self) -> None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None


def _empty_statement() -> bytes:
    from db.connection import SCHEMA_REVISION
    from db.models import Base

    return f"""
DO $$
BEGIN
    IF (SELECT version_num FROM alembic_version) IS DISTINCT FROM '{SCHEMA_REVISION}' THEN
        RAISE EXCEPTION 'not at the head revision';
    END IF;
    TRUNCATE {", ".join(table.name for table in Base.metadata.sorted_tables)}
        RESTART IDENTITY CASCADE;
END $$
""".encode()
