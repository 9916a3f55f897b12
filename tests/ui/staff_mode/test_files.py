"""The staff file dialog keeps to USB sticks and the export folder (issue 13): driven through
the real embedded Qt dialog on the real kiosk window, as a finger and the on-screen keyboard
would (a full path typed into the name field reaches any folder the list will not show)."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QLineEdit, QToolButton
from pytestqt.qtbot import QtBot

from db.repositories.audit import Action, entries
from kiosk.core.clock import FakeClock
from kiosk.patient.journal import JOURNAL_DIR_ENV, journal_paths
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.import_page import QtImportPage
from kiosk.ui.staff_mode.progress_page import QtProgressPage
from kiosk.ui.staff_mode.settings_page import QtSettingsPage
from tests.ui.conftest import tap
from tests.ui.staff_mode.conftest import open_page, sign_in, use_stick


def export_day(home: QtStaffHome) -> QtProgressPage:
    """Progress → Clinic day → Export CSV…: the Save dialog is open."""
    page = open_page(home, "progress")
    assert isinstance(page, QtProgressPage)
    tap(page.mode.buttons["day"])
    tap(page.export_button)
    assert home.files.isVisible()
    return page


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def database_file(services: KioskServices) -> Path:
    path = services.database.url.database
    assert path is not None
    return Path(path)


def test_save_over_the_database_is_refused_and_says_why(
    home: QtStaffHome, services: KioskServices
) -> None:
    database = database_file(services)
    before = digest(database)
    export_day(home)
    for target in (database, database.with_name("report.csv")):  # its folder, too
        home.files.choose(target)
        assert home.files.isVisible()  # still open: staff choose again
        assert home.files.problem.text() == t("staff.files.private")
        assert not database.with_name("report.csv").exists()
    assert digest(database) == before
    assert entries(services.database, actions=(Action.EXPORT,)) == ()


def test_save_outside_the_stick_and_the_export_folder_is_refused(
    qtbot: QtBot, home: QtStaffHome, tmp_path: Path, stick: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    page = export_day(home)
    home.files.choose(elsewhere / "day.csv")
    assert home.files.isVisible()
    assert home.files.problem.text() == t("staff.files.outside", folder=stick.parent / "exports")
    assert not (elsewhere / "day.csv").exists()
    with qtbot.waitSignal(page.exports.work.finished):
        home.files.choose(stick / "day.csv")  # then the stick: saved, and the message gone
    assert not home.files.isVisible()
    assert (stick / "day.csv").read_text(encoding="utf-8-sig").startswith("date,")


def test_the_database_cannot_be_opened_as_a_schedule(
    home: QtStaffHome, services: KioskServices
) -> None:
    page = open_page(home, "import")
    assert isinstance(page, QtImportPage)
    tap(page.choose_button)
    home.files.choose(database_file(services))
    assert home.files.isVisible()
    assert home.files.problem.text() == t("staff.files.private")
    assert page.preview is None


def test_saving_over_a_file_asks_first(qtbot: QtBot, home: QtStaffHome, stick: Path) -> None:
    target = stick / "day.csv"
    target.write_text("last week's report\n")
    page = export_day(home)
    home.files.choose(target)
    assert home.confirm.isVisible()
    assert home.confirm.title.text() == t("staff.files.replace.title", name="day.csv")
    tap(home.confirm.cancel_button)
    assert target.read_text() == "last week's report\n"
    assert home.files.isVisible()  # choose another name, or replace after all

    home.files.choose(target)
    with qtbot.waitSignal(page.exports.work.finished):
        tap(home.confirm.confirm_button)
    assert not home.files.isVisible()
    assert target.read_text(encoding="utf-8-sig").startswith("date,")


def test_the_dialog_shows_only_the_stick_and_the_export_folder_and_stays_in_them(
    qtbot: QtBot, home: QtStaffHome, stick: Path
) -> None:
    exports = stick.parent / "exports"
    page = export_day(home)
    dialog = home.files.dialog
    assert dialog is not None
    assert [Path(url.toLocalFile()) for url in dialog.sidebarUrls()] == [stick, exports]
    assert Path(dialog.directory().absolutePath()) == stick
    assert stat.S_IMODE(exports.stat().st_mode) == 0o700  # made for the kiosk's user alone

    up = dialog.findChild(QToolButton, "toParentButton")
    assert up is not None
    tap(up)  # to tmp_path, where the test's database is: not entered
    assert Path(dialog.directory().absolutePath()) == stick
    assert home.files.problem.text() == t("staff.files.private")

    home.files.choose(Path("/etc") / "passwd")  # typed in full: the folder is not entered
    assert Path(dialog.directory().absolutePath()) == stick
    assert home.files.problem.text() == t("staff.files.outside", folder=exports)

    # The export folder lies beside the database here, as in an installed kiosk's home.
    with qtbot.waitSignal(page.exports.work.finished):
        home.files.choose(exports / "day.csv")
    assert not home.files.isVisible()
    assert (exports / "day.csv").read_text(encoding="utf-8-sig").startswith("date,")


def test_a_folder_outside_cannot_be_chosen_for_the_clinic_videos(
    home: QtStaffHome, tmp_path: Path
) -> None:
    page = open_page(home, "settings")
    assert isinstance(page, QtSettingsPage)
    tap(page.folder_button)
    dialog = home.files.dialog
    assert dialog is not None
    assert dialog.fileMode() is QFileDialog.FileMode.Directory
    home.files.choose(tmp_path)
    assert home.files.isVisible()
    assert home.files.problem.text() == t("staff.files.private")


def test_the_dialog_neither_renames_nor_deletes_nor_lists_other_folders(
    home: QtStaffHome, stick: Path
) -> None:
    (stick / "today.csv").write_text("date,code,exercise\n")
    export_day(home)
    dialog = home.files.dialog
    assert dialog is not None
    model = dialog.findChild(QFileSystemModel)
    assert model is not None
    assert not model.setData(model.index(str(stick / "today.csv")), "renamed.csv")
    dialog.selectFile("today.csv")
    delete = dialog.findChild(QAction, "qt_delete_action")  # its context menu's Delete
    assert delete is not None
    delete.trigger()
    assert [p.name for p in stick.iterdir()] == ["today.csv"]
    new_folder = dialog.findChild(QToolButton, "newFolderButton")
    assert new_folder is not None
    assert not new_folder.isEnabled()
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    assert name is not None
    assert name.completer() is None  # typing "/etc/" lists nothing


def test_the_journal_kept_on_the_stick_cannot_be_overwritten(
    qtbot: QtBot,
    window: QtKioskWindow,
    clock: FakeClock,
    services: KioskServices,
    stick: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A kiosk whose journal's second copy is on the stick (``$KIOSK_JOURNAL_DIR``)."""
    monkeypatch.setenv(JOURNAL_DIR_ENV, str(stick))
    url = services.database.url.render_as_string(hide_password=False)
    _primary, journal = journal_paths(url, data_dir=Path("/nonexistent"))
    assert journal is not None
    assert journal.parent == stick
    home = sign_in(qtbot, window, clock)
    use_stick(home, stick)
    export_day(home)
    home.files.choose(journal)
    assert home.files.problem.text() == t("staff.files.private")
    assert not journal.exists()
