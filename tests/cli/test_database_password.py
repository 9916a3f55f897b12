"""A database password is never printed, logged or shown, and never taken from the command line
(issue 13; docs/security.md, "PostgreSQL"). The real ``kiosk`` command in a child process, with
a URL holding a password, against a PostgreSQL port nobody listens on; everything it writes
(standard output and error, the log file, at DEBUG) is searched for the password."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from kiosk.cli import PASSWORD_ON_COMMAND_LINE
from kiosk.cli.common import EXIT_DATABASE, EXIT_USAGE
from tests.db import faults
from tests.db.faults import kiosk
from tests.paths import REPO_ROOT

PASSWORD = "Pl41n-T3xt-Secret"
#: The same password in each place a URL can hold one: after the user name, as a parameter.
URL_FORMS = {
    "user-info": "postgresql+psycopg://kiosk:{password}@127.0.0.1:{port}/clinic",
    "parameter": "postgresql+psycopg://kiosk@127.0.0.1:{port}/clinic?password={password}",
}


def _url(form: str) -> str:
    return URL_FORMS[form].format(password=PASSWORD, port=faults.closed_port())


def _kiosk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        kiosk(*args), capture_output=True, text=True, cwd=REPO_ROOT, timeout=60, check=False,
        env=dict(os.environ, KIOSK_LOG_LEVEL="DEBUG", **env),
    )  # fmt: skip


@pytest.mark.parametrize("form", URL_FORMS)
@pytest.mark.parametrize(
    "command",
    [["patients", "list"], ["db", "upgrade"], ["today"], ["staff", "list"]],
    ids=" ".join,
)
def test_a_password_in_the_environment_is_never_printed(
    tmp_path: Path, form: str, command: list[str]
) -> None:
    log = tmp_path / "kiosk.log"
    child = _kiosk("--log-file", str(log), *command, env={"KIOSK_DATABASE_URL": _url(form)})
    assert child.returncode == EXIT_DATABASE, child.stderr
    assert "cannot be reached" in child.stderr  # it did try, and said so
    assert "***" in child.stderr
    written = child.stdout + child.stderr + (log.read_text() if log.exists() else "")
    assert PASSWORD not in written


@pytest.mark.parametrize("form", URL_FORMS)
@pytest.mark.parametrize(
    "where",
    [["--db", "{url}", "patients", "list"], ["db", "upgrade", "--db", "{url}"], ["--db", "{url}"]],
    ids=["before-a-command", "after-a-command", "the-kiosk-itself"],
)
def test_a_password_on_the_command_line_is_refused_before_anything_runs(
    tmp_path: Path, form: str, where: list[str]
) -> None:
    url = _url(form)
    log = tmp_path / "kiosk.log"
    args = [arg.format(url=url) for arg in where]
    child = _kiosk("--log-file", str(log), *args, env={"QT_QPA_PLATFORM": "offscreen"})
    assert child.returncode == EXIT_USAGE, child.stderr
    assert child.stderr.endswith(f"kiosk: error: {PASSWORD_ON_COMMAND_LINE}\n")
    assert PASSWORD not in child.stdout + child.stderr
    assert not log.exists()  # refused before the log (or the database, or a window) opened


def test_the_kiosk_out_of_order_logs_no_password(tmp_path: Path) -> None:
    """The kiosk itself, on a server that is down: out of order, its log at DEBUG read line by
    line until it says so (no sleeping), then stopped the way systemd stops it."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        SDL_AUDIODRIVER="dummy",
        KIOSK_LOG_LEVEL="DEBUG",
        KIOSK_DATABASE_URL=_url("parameter"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    with subprocess.Popen(
        kiosk("--windowed"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=REPO_ROOT, env=env,
    ) as child:  # fmt: skip
        assert child.stderr is not None
        lines = []
        for line in child.stderr:
            lines.append(line)
            if "out of order: " in line:
                break
        child.send_signal(signal.SIGTERM)
        rest, more = child.communicate(timeout=30)
    written = "".join(lines) + rest + more
    assert "out of order: the kiosk's services could not start: " in written
    assert "cannot be reached" in written
    assert "password=***" in written
    assert PASSWORD not in written


def test_help_shows_no_url_from_the_environment() -> None:
    child = _kiosk("--help", env={"KIOSK_DATABASE_URL": _url("user-info")})
    assert child.returncode == 0, child.stderr
    assert "--db URL" in child.stdout
    assert PASSWORD not in child.stdout + child.stderr
