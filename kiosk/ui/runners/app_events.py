"""Seeing every input event of the application, only while it matters.

The patients' idle countdown (``idle_watch.py``) and staff mode's idle lock
(``kiosk/ui/staff_mode/mode.py``) both count any touch, click or key anywhere in the kiosk as
someone being there, and may swallow one (a touch that arrives after the time ran out must
only log out). Qt's way is an event filter on the application, which every event of every
widget then passes through first, so each installs it only while its countdown can run.
:class:`AppEventFilter` is that switch, in one place.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QCoreApplication, QObject


class AppEventFilter:
    """Makes ``watcher`` an event filter of the whole application while :attr:`active`.

    ``watcher.eventFilter(watched, event)`` then sees every event first, and returns True to
    swallow it. Turning it on installs the filter once and turning it off removes it once,
    however often either is asked, so an owner can simply say what it wants after every
    change of its state. The watcher (usually the owner of this switch) is held weakly, so
    the switch never keeps it alive.
    """

    def __init__(self, watcher: QObject) -> None:
        self._watcher = weakref.ref(watcher)
        self._active = False

    @property
    def active(self) -> bool:
        """Whether the watcher is installed on the application now."""
        return self._active

    def set_active(self, active: bool) -> None:
        """Install (True) or remove (False) the filter; asking for what already is does nothing.

        Without an application (or once the watcher is gone) there is nothing to install on,
        and nothing changes.
        """
        app = QCoreApplication.instance()
        watcher = self._watcher()
        if app is None or watcher is None or active == self._active:
            return
        if active:
            app.installEventFilter(watcher)
        else:
            app.removeEventFilter(watcher)
        self._active = active
