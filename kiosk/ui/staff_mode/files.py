"""Choosing a file or folder on the touchscreen: Qt's own (non-native) file dialog, embedded in
a panel that covers the staff screen.

Embedded rather than a separate window: a kiosk compositor (or no window manager at all) may
not place a second window sensibly, and embedded it takes the kiosk's stylesheet, so its rows
and buttons are finger-sized like the rest. It starts where a USB stick appears (``/media``)
when one is there, else in the home folder; the side bar lists both.
"""

from __future__ import annotations

import os
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

from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import QtOverlay, make_label

PathHandler = Callable[[Path], None]

REMOVABLE_ROOTS = (Path("/media"), Path("/run/media"))


def _non_empty_dir(path: Path) -> bool:
    try:
        return path.is_dir() and any(path.iterdir())
    except OSError:
        return False


def removable_folders() -> list[Path]:
    """Mounted USB sticks and the like (``/media/<user>/<label>`` or ``/media/<label>``)."""
    found: list[Path] = []
    for root in REMOVABLE_ROOTS:
        if not _non_empty_dir(root):
            continue
        try:
            children = sorted(p for p in root.iterdir() if p.is_dir())
        except OSError:
            continue
        for child in children:
            try:
                grandchildren = sorted(p for p in child.iterdir() if p.is_dir())
            except OSError:
                grandchildren = []
            # /media/<user>/<label> on desktops; /media/<label> with usbmount and the like.
            found.extend(grandchildren if child.name == os.environ.get("USER") else [child])
    return found


def start_folder() -> Path:
    """A USB stick if one is mounted, else the home folder."""
    sticks = removable_folders()
    return sticks[0] if sticks else Path.home()


class QtFileOverlay(QtOverlay):
    """Open a file, save a file or choose a folder; one request at a time.

    ``dialog`` is the embedded ``QFileDialog`` of the current request (tests choose through
    :meth:`choose`, as a finger would through the dialog's list and button).
    """

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(theme, parent, width_ratio=0.96)
        self.panel.setProperty("overlay", "Files")
        self._theme = theme
        m = theme.metrics
        self.panel_layout.setContentsMargins(m.spacing, m.spacing, m.spacing, m.spacing)
        self.title = make_label("", "large", name="FilesTitle")
        self.panel_layout.addWidget(self.title)
        self.dialog: QFileDialog | None = None
        self._handler: PathHandler | None = None
        #: Where a dialog opens when the caller names no folder (None: a USB stick, else home).
        self.default_folder: Path | None = None

    def open_file(
        self, title: str, filters: str, handler: PathHandler, *, folder: Path | None = None
    ) -> None:
        dialog = self._new_dialog(title, folder or self._start_folder(), filters)
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
        dialog = self._new_dialog(title, folder or self._start_folder(), filters)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(default_name)
        self._name_edit(dialog).setText(default_name)
        self._present(dialog, handler)

    def choose_folder(
        self, title: str, handler: PathHandler, *, folder: Path | None = None
    ) -> None:
        dialog = self._new_dialog(title, folder or self._start_folder(), "")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        self._present(dialog, handler)

    def _start_folder(self) -> Path:
        return self.default_folder or start_folder()

    def choose(self, path: Path) -> None:
        """Pick ``path`` in the open dialog and press its Open/Save button (tests)."""
        dialog = self.dialog
        if dialog is None:
            raise RuntimeError("no file dialog is open")
        folder = path if dialog.fileMode() is QFileDialog.FileMode.Directory else path.parent
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} is not a folder: the dialog could not show it")
        if dialog.fileMode() is QFileDialog.FileMode.Directory:
            dialog.setDirectory(str(path))
            self._name_edit(dialog).setText("")
        else:
            dialog.setDirectory(str(path.parent))
            self._name_edit(dialog).setText(path.name)
        dialog.accept()

    def cancel(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()
        else:
            self.hide()

    def _new_dialog(self, title: str, folder: Path, filters: str) -> QFileDialog:
        self._discard_dialog()
        dialog = QFileDialog(self.panel, title, str(folder), filters)
        dialog.setObjectName("StaffFileDialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons, True)
        dialog.setWindowFlags(Qt.WindowType.Widget)  # a panel inside the kiosk, not a window
        dialog.setViewMode(QFileDialog.ViewMode.Detail)
        dialog.setSizeGripEnabled(False)
        places = [Path.home(), *removable_folders()]
        for root in REMOVABLE_ROOTS:
            if root.is_dir():
                places.append(root)
        dialog.setSidebarUrls([QUrl.fromLocalFile(str(p)) for p in dict.fromkeys(places)])
        self._fit_for_fingers(dialog)
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

    def _present(self, dialog: QFileDialog, handler: PathHandler) -> None:
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
