"""Voice control on the staff settings screen: on or off for this kiosk, which microphone, and
its level, live, so staff can see that it hears the mat.

Unlike the clinic settings above it (one database for every kiosk), these belong to the
kiosk (``voice.control_settings``): a choice is saved at once and applies at once (``applied``,
the window's: the next session listens, or not, on the microphone chosen; a visit in progress
would keep what it started with, but staff mode opens only between visits). The meter reads the
microphone only while this screen shows, and keeps nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.text import t
from kiosk.ui.staff_mode.choice_row import QtChoiceRow
from kiosk.ui.staff_mode.page import make_section
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import make_label
from voice.control_settings import ControlSettings, load_control, overridden, save_control

log = logging.getLogger(__name__)

DEFAULT = "default"


class _Levels(QObject):
    """Carries the meter's thread's readings to the Qt thread."""

    level = Signal(float)


class QtVoiceControlSettings(QWidget):
    """The section: a title, on/off, the microphone, the level."""

    def __init__(
        self,
        theme: Theme,
        applied: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``applied()``: called after each saved change, to apply it to the kiosk now."""
        super().__init__(parent)
        self._applied = applied
        self.setObjectName("VoiceControlSettings")
        from voice.microphone import microphones

        self.settings = load_control()
        self.microphones = microphones()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(theme.metrics.spacing_small)
        grid.setColumnStretch(1, 1)
        grid.addWidget(make_section(t("staff.settings.section_voice_control")), 0, 0, 1, 2)
        self.enabled_row = QtChoiceRow(
            theme,
            "Setting_voice_control",
            [
                ("on", t("staff.settings.voice_control_on")),
                ("off", t("staff.settings.voice_control_off")),
            ],
            by_text=True,
        )
        self.enabled_row.set_chosen("on" if self.settings.enabled else "off")
        self.enabled_row.changed.connect(self._on_enabled_row_changed)
        grid.addWidget(self.enabled_row, 1, 0, 1, 2)
        grid.addWidget(make_label(t("staff.settings.microphone"), "body"), 2, 0)
        choices = [(DEFAULT, t("staff.settings.microphone_default"))]
        choices += [(name, name) for name in self.microphones]
        self.microphone_row = QtChoiceRow(theme, "Setting_microphone", choices, by_text=True)
        chosen = self.settings.microphone
        self.microphone_row.set_chosen(chosen if chosen in self.microphones else DEFAULT)
        self.microphone_row.changed.connect(self._on_microphone_row_changed)
        grid.addWidget(self.microphone_row, 2, 1)
        self.level = make_label("", "body", name="MicrophoneLevel")
        grid.addWidget(self.level, 3, 0, 1, 2)
        # The environment wins over this screen's file (voice.control_settings): say so.
        names = overridden()
        self.environment = make_label(
            t("staff.settings.voice_control_env", names=", ".join(names)),
            "body",
            name="VoiceControlEnv",
        )
        self.environment.setWordWrap(True)
        self.environment.setVisible(bool(names))
        grid.addWidget(self.environment, 4, 0, 1, 2)
        self._levels = _Levels(self)
        self._levels.level.connect(self._on_level, Qt.ConnectionType.QueuedConnection)
        self._meter: object | None = None
        self._show_level(None)

    def _save(self, settings: ControlSettings) -> None:
        try:
            save_control(settings)
        except OSError as error:
            log.warning("voice control: the setting was not saved (%s)", error)
            return
        self.settings = settings
        if self._applied is not None:
            self._applied()

    def _on_enabled_row_changed(self) -> None:
        on = self.enabled_row.chosen == "on"
        self._save(replace(self.settings, enabled=on))

    def _on_microphone_row_changed(self) -> None:
        chosen = self.microphone_row.chosen
        microphone = None if chosen in (None, DEFAULT) else chosen
        self._save(replace(self.settings, microphone=microphone))
        if self._meter is not None:
            self.stop_meter()
            self.start_meter()

    # -- the level meter -------------------------------------------------------------------

    def start_meter(self) -> None:
        """Read the chosen microphone's level while the screen shows."""
        if self._meter is not None or not self.microphones:
            self._show_level(None)
            return
        from voice.listening import LevelMeter
        from voice.microphone import MicrophoneSource, NoMicrophoneError

        try:
            source = MicrophoneSource(self.settings.microphone)
        except NoMicrophoneError as error:
            log.warning("voice control: %s", error)
            self._show_level(None)
            return
        self._meter = LevelMeter(source, self._levels.level.emit)

    def stop_meter(self) -> None:
        meter, self._meter = self._meter, None
        if meter is not None:
            from voice.listening import LevelMeter

            assert isinstance(meter, LevelMeter)
            meter.stop()

    def _on_level(self, db: float) -> None:
        self._show_level(db)

    def _show_level(self, db: float | None) -> None:
        if db is None and not self.microphones:
            self.level.setText(t("staff.settings.microphone_none"))
        else:
            self.level.setText(t("staff.settings.microphone_level", db=round(db or -90)))
