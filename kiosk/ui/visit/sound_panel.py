"""The patient's sound settings on the player, and the flash that stands in for a tone.

The settings panel is one overlay with three rows of big buttons (voice / tones only / silent;
slower / faster; quieter / louder) and Done. Every tap takes effect at once, so the patient
hears the difference; the session keeps running underneath. The choice lasts for this visit.

The flash is a thick frame around the whole player, shown for a moment on each tone when no
tone can be heard (no sound device, or the patient chose silence), so a countdown can still be
followed by eye. It never takes a touch: it is transparent to the mouse.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.core.timeline import Tone
from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.timers import factory
from kiosk.ui.widgets.base import QtOverlay, make_button, make_label, set_style_property
from voice.settings import RATE_STEP, VoiceMode, VoiceSettings

FLASH_MS = 250
_CENTER = Qt.AlignmentFlag.AlignCenter
_MODES = (
    (VoiceMode.VOICE, "sound.voice", "SoundVoiceButton"),
    (VoiceMode.TONES, "sound.tones", "SoundTonesButton"),
    (VoiceMode.OFF, "sound.off", "SoundOffButton"),
)


#: The speech-rate steps either side of the clinic's default, in words.
_SPEED_KEYS = {
    -2: "sound.speed_much_slower",
    -1: "sound.speed_slower",
    0: "sound.speed_normal",
    1: "sound.speed_faster",
    2: "sound.speed_much_faster",
}


def speed_text(rate: int, default: int) -> str:
    steps = round((rate - default) / RATE_STEP)
    return t(_SPEED_KEYS[max(-2, min(2, steps))])


def volume_text(volume: float) -> str:
    return t("sound.volume", level=round(volume * 10))


class QtSoundPanel(QtOverlay):
    """Voice on or off, tones only, speed and volume, for one patient.

    Signals:
        settings_chosen(object): the new ``VoiceSettings`` after a tap.
        done(): the patient closed the panel.
    """

    settings_chosen = Signal(object)
    done = Signal()

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(theme, parent, width_ratio=0.8)
        self.setObjectName("Overlay")
        self.panel.setProperty("overlay", "Sound")
        m = self._metrics = theme.metrics
        self._settings = VoiceSettings()
        self._default_rate = self._settings.rate
        self.title = make_label(t("sound.title"), "title", align=_CENTER, name="SoundTitle")
        self.panel_layout.addWidget(self.title)

        modes = QHBoxLayout()
        modes.setSpacing(m.spacing)
        self.mode_buttons: dict[VoiceMode, QPushButton] = {}
        for mode, words, name in _MODES:
            button = make_button(t(words), name=name)
            button.setMinimumHeight(m.touch_large)
            button.setProperty("mode", mode.value)
            button.clicked.connect(self._on_mode_button_clicked)
            modes.addWidget(button, 1)
            self.mode_buttons[mode] = button
        self.panel_layout.addLayout(modes)

        self.slower_button, self.speed_label, self.faster_button = self._row(
            t("sound.slower"), "SoundSlowerButton", "SoundSpeed", t("sound.faster"),
            "SoundFasterButton",
        )  # fmt: skip
        self.slower_button.clicked.connect(self._on_slower_button_clicked)
        self.faster_button.clicked.connect(self._on_faster_button_clicked)
        self.quieter_button, self.volume_label, self.louder_button = self._row(
            t("sound.quieter"), "SoundQuieterButton", "SoundVolume", t("sound.louder"),
            "SoundLouderButton",
        )  # fmt: skip
        self.quieter_button.clicked.connect(self._on_quieter_button_clicked)
        self.louder_button.clicked.connect(self._on_louder_button_clicked)

        self.panel_layout.addSpacing(m.spacing // 2)
        self.done_button = make_button(t("sound.done"), "primary", name="SoundDoneButton")
        self.done_button.clicked.connect(self._on_done_button_clicked)
        self.panel_layout.addWidget(self.done_button)
        self.backdrop_clicked.connect(self._on_done_button_clicked)

    def _row(
        self, left: str, left_name: str, label_name: str, right: str, right_name: str
    ) -> tuple[QPushButton, QLabel, QPushButton]:
        m = self._metrics
        row = QHBoxLayout()
        row.setSpacing(m.spacing)
        minus = make_button(left, name=left_name)
        plus = make_button(right, name=right_name)
        label = make_label("", "strong", name=label_name, wrap=False, align=_CENTER)
        for button in (minus, plus):
            button.setMinimumHeight(m.touch_large)
            button.setMinimumWidth(m.px(330))
        row.addWidget(minus)
        row.addWidget(label, 1)
        row.addWidget(plus)
        self.panel_layout.addLayout(row)
        return minus, label, plus

    # -- model → view -----------------------------------------------------------------------

    def open_with(self, settings: VoiceSettings, defaults: VoiceSettings) -> None:
        self._default_rate = defaults.rate
        self.show_settings(settings)
        self.open()

    def show_settings(self, settings: VoiceSettings) -> None:
        self._settings = settings
        for mode, button in self.mode_buttons.items():
            chosen = mode is settings.mode
            text = t(next(words for m, words, _ in _MODES if m is mode))
            button.setText(f"✓ {text}" if chosen else text)  # never colour alone
            set_style_property(button, "role", "primary" if chosen else "secondary")
        speaks = settings.mode is VoiceMode.VOICE
        self.speed_label.setText(speed_text(settings.rate, self._default_rate))
        self.slower_button.setEnabled(speaks and settings.slower() != settings)
        self.faster_button.setEnabled(speaks and settings.faster() != settings)
        audible = settings.mode is not VoiceMode.OFF
        self.volume_label.setText(volume_text(settings.volume))
        self.quieter_button.setEnabled(audible and settings.quieter() != settings)
        self.louder_button.setEnabled(audible and settings.louder() != settings)

    # -- view → model -----------------------------------------------------------------------

    def _choose(self, settings: VoiceSettings) -> None:
        if settings != self._settings:
            self.show_settings(settings)
            self.settings_chosen.emit(settings)

    def _on_mode_button_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, QPushButton):
            self._choose(self._settings.with_mode(VoiceMode(str(button.property("mode")))))

    def _on_slower_button_clicked(self) -> None:
        self._choose(self._settings.slower())

    def _on_faster_button_clicked(self) -> None:
        self._choose(self._settings.faster())

    def _on_quieter_button_clicked(self) -> None:
        self._choose(self._settings.quieter())

    def _on_louder_button_clicked(self) -> None:
        self._choose(self._settings.louder())

    def _on_done_button_clicked(self) -> None:
        self.hide()
        self.done.emit()


class QtToneFlash(QWidget):
    """A frame around its parent, flashed for each tone nobody can hear."""

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("ToneFlash")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self._width = theme.metrics.px(22)
        p = theme.palette
        self._colors = {
            Tone.PIP: QColor(p.primary),
            Tone.GO: QColor(p.ring_rest),
            Tone.HOLD_END: QColor(p.left),
            Tone.TICK: QColor(p.muted),
        }
        self._color = self._colors[Tone.PIP]
        self.flashes = 0  # how many tones were shown (tests, screenshots)
        self.timer = factory().create(self, "tone-flash", single_shot=True, interval_ms=FLASH_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.hide()

    def flash(self, tone: Tone) -> None:
        self._color = self._colors.get(tone, self._colors[Tone.PIP])
        self.flashes += 1
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.update()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.hide()

    def _on_timer_timeout(self) -> None:
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        pen = QPen(self._color, self._width)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        half = self._width / 2
        painter.drawRect(QRectF(self.rect()).adjusted(half, half, -half, -half))
        painter.end()
