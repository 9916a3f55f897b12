"""The application event filter switch shared by the idle watch and staff mode: installed
once when turned on, removed once when turned off, and while on its watcher sees (and may
swallow) the events of every object in the application."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.ui.runners.app_events import AppEventFilter

PING = QEvent.Type(QEvent.registerEventType())


class _Watcher(QObject):
    """Counts the pings it sees anywhere; swallows them when told to."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0
        self.swallow = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != PING:
            return False
        self.seen += 1
        return self.swallow


class _Target(QObject):
    """Any object of the application; counts the pings that reach it."""

    def __init__(self) -> None:
        super().__init__()
        self.reached = 0

    def event(self, event: QEvent) -> bool:
        if event.type() == PING:
            self.reached += 1
            return True
        return super().event(event)


def _ping(target: QObject) -> None:
    QCoreApplication.sendEvent(target, QEvent(PING))


@pytest.fixture
def calls(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every install and removal of an application event filter, in order."""
    made: list[str] = []
    install, remove = qapp.installEventFilter, qapp.removeEventFilter

    def installing(watcher: QObject) -> None:
        made.append("install")
        install(watcher)

    def removing(watcher: QObject) -> None:
        made.append("remove")
        remove(watcher)

    monkeypatch.setattr(qapp, "installEventFilter", installing)
    monkeypatch.setattr(qapp, "removeEventFilter", removing)
    return made


def test_the_filter_goes_in_once_and_out_once(calls: list[str]) -> None:
    watcher = _Watcher()
    switch = AppEventFilter(watcher)
    assert not switch.active
    switch.set_active(False)  # already off: nothing to remove
    assert calls == []
    switch.set_active(True)
    switch.set_active(True)
    assert calls == ["install"]
    assert switch.active
    switch.set_active(False)
    switch.set_active(False)
    assert calls == ["install", "remove"]
    assert not switch.active


def test_while_on_the_watcher_sees_every_objects_events(qtbot: QtBot) -> None:
    watcher, target = _Watcher(), _Target()
    switch = AppEventFilter(watcher)
    _ping(target)
    assert (watcher.seen, target.reached) == (0, 1)  # off: the application pays nothing
    switch.set_active(True)
    _ping(target)
    assert (watcher.seen, target.reached) == (1, 2)
    watcher.swallow = True  # e.g. a touch after the idle time ran out
    _ping(target)
    assert (watcher.seen, target.reached) == (2, 2)
    switch.set_active(False)
    _ping(target)
    assert (watcher.seen, target.reached) == (2, 3)


def test_a_watcher_that_is_gone_is_neither_installed_nor_kept_alive(calls: list[str]) -> None:
    watcher = _Watcher()
    switch = AppEventFilter(watcher)
    del watcher  # the switch held it weakly: it is deleted with its last reference
    switch.set_active(True)
    assert calls == []
    assert not switch.active
