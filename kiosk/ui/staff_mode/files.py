"""Choosing a file or folder on the touchscreen: Qt's own (non-native) file dialog, embedded in
a panel that covers the staff screen, kept to the places staff may use.

Embedded rather than a separate window: a kiosk compositor (or no window manager at all) may
not place a second window sensibly, and embedded it takes the kiosk's stylesheet, so its rows
and buttons are finger-sized like the rest.

It is the one way staff choose a file (issue 13): it goes only to mounted USB sticks and the
export folder, and refuses the kiosk's own folders, by the rule of
:class:`kiosk.staff.file_places.FilePlaces` (asked afresh each time a dialog opens, as sticks
come and go). A folder outside them is not entered; a file outside them, or in the
database's folder, is neither opened nor saved, and the panel says why; saving over a file
that is there asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QToolButton,
    QTreeView,
    QWidget,
)

from kiosk.staff.file_places import FilePlaces, Refusal
from kiosk.text import t
from kiosk.ui.staff_mode.message import QtMessage
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import QtOverlay, make_label

PathHandler = Callable[[Path], None]
#: Asks "Are you sure?" (title, body, action's words, what to run if confirmed).
AskConfirm = Callable[[str, str, str, Callable[[], None]], None]


class QtStaffFileDialog(QFileDialog):
    """Qt's dialog, whose Open/Save first asks ``check`` (the overlay's rule); Qt's own
    "replace it?" box (a separate window) is replaced by the staff confirmation."""

    def __init__(
        self, parent: QWidget, title: str, folder: Path, filters: str, check: Callable[[], bool]
    ) -> None:
        super().__init__(parent, title, str(folder), filters)
        self._check = check

    def accept(self) -> None:
        if self._check():
            super().accept()

    def accept_checked(self) -> None:
        """Accept without asking again (the rule was asked; the replace was confirmed)."""
        super().accept()


class QtFileOverlay(QtOverlay):
    """Open a file, save a file or choose a folder; one request at a time.

    ``places`` gives the places staff may use now (each dialog asks afresh); ``confirm`` asks
    before a Save replaces a file. ``dialog`` is the embedded dialog of the current request
    (tests choose through :meth:`choose`, as a finger would through its list and button);
    ``problem`` says why a choice was refused.
    """

    def __init__(
        self,
        theme: Theme,
        parent: QWidget,
        *,
        places: Callable[[], FilePlaces],
        confirm: AskConfirm,
    ) -> None:
        super().__init__(theme, parent, width_ratio=0.96)
        self.panel.setProperty("overlay", "Files")
        self._theme = theme
        m = theme.metrics
        self.panel_layout.setContentsMargins(m.spacing, m.spacing, m.spacing, m.spacing)
        self.title = make_label("", "large", name="FilesTitle")
        self.panel_layout.addWidget(self.title)
        self.problem = QtMessage("FilesProblem")
        self.panel_layout.addWidget(self.problem)
        self.dialog: QtStaffFileDialog | None = None
        self.places = places
        self._confirm = confirm
        self._current: FilePlaces | None = None
        self._handler: PathHandler | None = None
        self._last_folder: Path | None = None

    def open_file(
        self, title: str, filters: str, handler: PathHandler, *, folder: Path | None = None
    ) -> None:
        dialog = self._new_dialog(title, folder, filters)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        self._present(dialog, handler)

    def save_file(
        self,
        title: str,
        default_name: str,
        filters: str,
        handler: PathHandler,
        *,
        folder: Path | None = None,
    ) -> None:
        dialog = self._new_dialog(title, folder, filters)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        # Qt's own question is a separate window; _check_choice asks on the staff screen.
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
        dialog.selectFile(default_name)
        self._name_edit(dialog).setText(default_name)
        self._present(dialog, handler)

    def choose_folder(
        self, title: str, handler: PathHandler, *, folder: Path | None = None
    ) -> None:
        dialog = self._new_dialog(title, folder, "")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        self._present(dialog, handler)

    def choose(self, path: Path) -> None:
        """Go to ``path``'s folder in the open dialog, pick ``path`` and press its Open/Save
        button (tests). A path in a folder the dialog will not enter is typed in full."""
        dialog = self.dialog
        if dialog is None:
            raise RuntimeError("no file dialog is open")
        folder = path if dialog.fileMode() is QFileDialog.FileMode.Directory else path.parent
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} is not a folder: the dialog could not show it")
        assert self._current is not None
        if self._current.refusal(folder) is None:
            dialog.setDirectory(str(folder))
            typed = "" if folder == path else path.name
        else:
            typed = str(path)  # not to be browsed to: typed in full, as a keyboard can
        self._name_edit(dialog).setText(typed)
        dialog.accept()

    def cancel(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()
        else:
            self.hide()

    # -- the rule ----------------------------------------------------------------------------

    def _refused(self, path: Path) -> bool:
        """Whether ``path`` is refused; if so the panel says why."""
        assert self._current is not None
        refusal = self._current.refusal(path)
        if refusal is None:
            return False
        if refusal is Refusal.PRIVATE:
            self.problem.show_error(t("staff.files.private"))
        else:
            self.problem.show_error(t("staff.files.outside", folder=self._current.export_folder))
        return True

    def _check_choice(self) -> bool:
        """Asked by the dialog's Open/Save: True lets Qt go on (a folder is entered, a file
        chosen); a refused path, or a Save over a file (until confirmed), stops it here."""
        dialog = self.dialog
        if dialog is None or not dialog.selectedFiles():
            return True
        path = Path(dialog.selectedFiles()[0])
        directory_mode = dialog.fileMode() is QFileDialog.FileMode.Directory
        if self._refused(path):
            return False
        if path.is_dir() and not directory_mode:
            self._last_folder = path  # Qt enters it (without saying directoryEntered)
            return True
        self.problem.clear_message()
        saving = dialog.acceptMode() is QFileDialog.AcceptMode.AcceptSave
        if saving and (path.exists() or path.is_symlink()):
            self._confirm(
                t("staff.files.replace.title", name=path.name),
                t("staff.files.replace.body"),
                t("staff.files.replace.confirm"),
                dialog.accept_checked,
            )
            return False
        return True

    def _on_dialog_directory_entered(self, directory: str) -> None:
        """A folder outside the places (the parent button, a typed path) is left at once."""
        dialog = self.dialog
        if dialog is None:
            return
        if self._refused(Path(directory)):
            assert self._current is not None
            back = self._last_folder or self._current.roots[0]
            if Path(directory) != back:
                dialog.setDirectory(str(back))
            return
        self._last_folder = Path(directory)

    # -- building the dialog -----------------------------------------------------------------

    def _new_dialog(self, title: str, folder: Path | None, filters: str) -> QtStaffFileDialog:
        self._discard_dialog()
        places = self._current = self.places()
        self.problem.clear_message()
        try:
            places.make_export_folder()
        except OSError as error:
            self.problem.show_error(
                t(
                    "staff.files.no_export_folder",
                    folder=places.export_folder,
                    reason=error.strerror or error,
                )
            )
        if folder is None or not folder.is_dir() or places.refusal(folder) is not None:
            folder = places.roots[0]
        self._last_folder = folder
        dialog = QtStaffFileDialog(self.panel, title, folder, filters, self._check_choice)
        dialog.setObjectName("StaffFileDialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons, True)
        dialog.setWindowFlags(Qt.WindowType.Widget)  # a panel inside the kiosk, not a window
        # No renaming, deleting or new folders from its context menu and buttons: staff open
        # and save files, they do not manage a stick's files here.
        dialog.setOption(QFileDialog.Option.ReadOnly, True)
        dialog.setViewMode(QFileDialog.ViewMode.Detail)
        dialog.setSizeGripEnabled(False)
        dialog.setSidebarUrls([QUrl.fromLocalFile(str(p)) for p in places.roots])
        dialog.setHistory([])
        dialog.directoryEntered.connect(self._on_dialog_directory_entered)
        self._fit_for_fingers(dialog)
        # Its completer would list any folder's names as a path is typed ("/etc/...").
        self._name_edit(dialog).setCompleter(None)  # type: ignore[arg-type]  # Qt takes nullptr
        self.title.setText(title)
        return dialog

    def _fit_for_fingers(self, dialog: QFileDialog) -> None:
        """Names get the room (size and type columns hidden), the places list is wide enough
        to read, and the tool buttons' icons are big enough to see."""
        m = self._theme.metrics
        tree = dialog.findChild(QTreeView, "treeView")
        if tree is not None:
            header = tree.header()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            for column in (1, 2):  # size, type: the name says it
                header.setSectionHidden(column, True)
            header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
            tree.setIconSize(QSize(m.px(40), m.px(40)))
        splitter = dialog.findChild(QSplitter, "splitter")
        if splitter is not None:
            splitter.setSizes([m.px(340), m.px(1200)])
        for button in dialog.findChildren(QToolButton):
            button.setIconSize(QSize(m.px(48), m.px(48)))

    @staticmethod
    def _name_edit(dialog: QFileDialog) -> QLineEdit:
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        assert edit is not None, "Qt's file dialog has no file name field"
        return edit

    def _present(self, dialog: QtStaffFileDialog, handler: PathHandler) -> None:
        self.dialog = dialog
        self._handler = handler
        dialog.fileSelected.connect(self._on_dialog_file_selected)
        dialog.rejected.connect(self._on_dialog_rejected)
        self.panel_layout.addWidget(dialog, 1)
        dialog.show()
        self.open()

    def _place_panel(self) -> None:
        """Nearly the whole screen: a file list needs the room."""
        margin = max(8, self.height() // 40)
        width = int(self.width() * 0.96)
        self.panel.setFixedWidth(width)
        self.panel.setGeometry(
            (self.width() - width) // 2, margin, width, self.height() - 2 * margin
        )

    def _discard_dialog(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            self.panel_layout.removeWidget(dialog)
            dialog.hide()
            dialog.deleteLater()

    def _on_dialog_file_selected(self, name: str) -> None:
        handler, self._handler = self._handler, None
        self.hide()
        self._discard_dialog()
        if handler is not None and name:
            handler(Path(name))

    def _on_dialog_rejected(self) -> None:
        self._handler = None
        self.hide()
        self._discard_dialog()
