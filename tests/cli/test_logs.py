"""The kiosk's log (kiosk/cli/logs.py): standard error for the journal, or a private rotating
file; SQLAlchemy kept quiet whatever the level; ``--log-file`` on the command line."""

from __future__ import annotations

import io
import logging
import os
import stat
from pathlib import Path

import pytest

from kiosk.cli import logs, main
from tests.cli.test_cli import run


def test_one_handler_whatever_how_often_it_is_configured() -> None:
    first, second = io.StringIO(), io.StringIO()
    logs.configure(stream=first)
    logs.configure(stream=second)
    logging.getLogger("kiosk.test").warning("the database takes records again")
    assert first.getvalue() == ""
    assert second.getvalue() == "WARNING kiosk.test: the database takes records again\n"
    mine = [h for h in logging.getLogger().handlers if h.get_name() == logs.HANDLER_NAME]
    assert len(mine) == 1


def test_sqlalchemy_stays_quiet_even_at_debug() -> None:
    """At INFO and DEBUG it logs every statement's parameters and every row it reads."""
    logging.getLogger("sqlalchemy").setLevel(logging.DEBUG)
    logs.configure(level=logging.DEBUG, stream=io.StringIO())
    assert logging.getLogger("sqlalchemy.engine.Engine").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("kiosk").getEffectiveLevel() == logging.DEBUG


def test_under_systemd_each_line_carries_its_priority(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (tmp_path / "stderr").open("w+", encoding="utf-8") as stream:
        info = os.fstat(stream.fileno())
        monkeypatch.setenv("JOURNAL_STREAM", f"{info.st_dev}:{info.st_ino}")
        logs.configure(stream=stream)
        log = logging.getLogger("kiosk.test")
        log.info("screen blanking inhibited with xset")
        try:
            raise OSError("disk not there")
        except OSError:
            log.exception("out of order")
        stream.seek(0)
        lines = stream.read().splitlines()
    assert lines[0] == "<6>INFO kiosk.test: screen blanking inhibited with xset"
    assert lines[1] == "<3>ERROR kiosk.test: out of order"
    assert all(line.startswith("<3>") for line in lines[1:])  # the traceback with it
    assert lines[-1] == "<3>OSError: disk not there"
    monkeypatch.setenv("JOURNAL_STREAM", "1:2")  # another stream's: a terminal, say
    text = io.StringIO()
    logs.configure(stream=text)
    log.info("plain")
    assert text.getvalue() == "INFO kiosk.test: plain\n"


def test_the_log_file_is_private_and_rotates(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "kiosk.log"
        handler = logs.configure(log_file=path)
        log = logging.getLogger("kiosk.test")
        line = "x" * 1000
        for _ in range(2 * logs.FILE_MAX_BYTES // len(line) + 10):
            log.warning(line)
        handler.flush()
    finally:
        os.umask(old)
    files = sorted(tmp_path.iterdir())
    assert [f.name for f in files] == ["kiosk.log", "kiosk.log.1", "kiosk.log.2"]
    assert {oct(stat.S_IMODE(f.stat().st_mode)) for f in files} == {"0o600"}
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.endswith(f"WARNING kiosk.test: {line}")  # after the time


def test_the_level_can_be_raised_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(logs.LEVEL_ENV, "debug")
    assert logs.level_from_env(logging.INFO) == logging.DEBUG
    monkeypatch.setenv(logs.LEVEL_ENV, "chatty")
    assert logs.level_from_env(logging.INFO) == logging.INFO


def test_a_log_file_that_cannot_be_written_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("")
    code, _, err = run(
        capsys, "--log-file", str(tmp_path / "file" / "kiosk.log"), "library", "list"
    )
    assert code == 2
    assert f"kiosk: error: --log-file: cannot write {tmp_path / 'file' / 'kiosk.log'}" in err


def test_commands_log_warnings_only_and_set_a_private_umask(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "library", "list")[0] == 0
    assert logging.getLogger().level == logging.WARNING
    umask = os.umask(0o022)
    assert umask == 0o077  # (tests/conftest.py puts the test's own back)


def test_the_kiosk_itself_logs_at_info(monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.ui.shell.app as app

    monkeypatch.setattr(app, "run", lambda options: 0)
    assert main([]) == 0
    assert logging.getLogger().level == logging.INFO


NAME, CODE = "Quentin", "583920"


def _log_a_failed_insert(log_file: Path, database: Path, *, hide: bool) -> str:
    """Log, at DEBUG, what the kiosk logs when a statement fails (the error and its
    traceback), for an insert that carries a patient's name and check-in code; returns the
    log file's text."""
    from sqlalchemy import create_engine, insert
    from sqlalchemy.exc import IntegrityError

    from db.connection import make_engine, open_database
    from db.models import Patient
    from db.repositories.patients import PatientRepository

    open_database(f"sqlite:///{database}", create=True).dispose()
    url = f"sqlite:///{database}"
    engine = make_engine(url) if hide else create_engine(url)
    handler = logs.configure(level=logging.DEBUG, log_file=log_file)
    try:
        PatientRepository(engine).add(NAME, CODE, actor="Demo")
        PatientRepository(engine).search(NAME)  # statements at DEBUG: SQLAlchemy stays quiet
        with engine.begin() as connection:  # (names, not literals: the traceback quotes this)
            connection.execute(insert(Patient).values(code=CODE, display_name=NAME))
    except IntegrityError:
        logging.getLogger("kiosk.patient.writer").exception("could not write a record")
    finally:
        engine.dispose()
        handler.flush()
        logs.configure(stream=io.StringIO())
    return log_file.read_text(encoding="utf-8")


def test_a_failed_statement_reaches_a_real_log_file_without_its_values(tmp_path: Path) -> None:
    """The database's engines hide a failed statement's parameters (``hide_parameters``):
    the log file has the error and its SQL, never the name or code it carried. The same
    failure on an engine without that option shows both, so the test can tell."""
    text = _log_a_failed_insert(tmp_path / "kiosk.log", tmp_path / "a.sqlite3", hide=True)
    assert "UNIQUE constraint failed: patients.code" in text
    assert "INSERT INTO patients" in text
    assert "parameters hidden" in text
    assert CODE not in text
    assert NAME not in text
    leaky = _log_a_failed_insert(tmp_path / "leaky.log", tmp_path / "b.sqlite3", hide=False)
    assert CODE in leaky
