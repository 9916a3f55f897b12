"""Settings: clinic name and language, time-outs, the PIN back-off, voice defaults, the clinic
video folder, how long session records are kept.

The form keeps its own copy of the values until Save, so a refused save (e.g. a longest wait
below the first wait) keeps everything typed and says why. ``SettingsRepository.update``
checks and audits; the staff idle time and back-off apply at once, the rest as each part of
the kiosk next reads them (the clinic's language when staff mode locks: the attract screen and
keypad at once, the staff screens from the next sign-in). A stored value the kiosk cannot use
(edited by hand, an older version's) shows here as a problem, its default in the form.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QWidget,
)

from db.repositories.settings import CHOICES, ClinicSettings, SettingsError, SettingsRepository
from kiosk import text
from kiosk.core.lockout import FAILURES_BOUNDS, PAUSE_BOUNDS_S, WINDOW_BOUNDS_S
from kiosk.core.pin import STAFF_IDLE_MAX_S
from kiosk.text import t
from kiosk.ui.staff_mode.choice_row import QtChoiceRow
from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.page import QtStaffPage, make_section
from kiosk.ui.staff_mode.steppers import QtStepper
from kiosk.ui.widgets.base import make_button, make_label, make_scroll_area

#: (minimum, maximum, step) of each number; the repository checks them again on save.
NUMBERS: dict[str, tuple[float, float, float]] = {
    "patient_idle_timeout_s": (15, 3600, 15),
    "patient_idle_respond_s": (20, 600, 5),
    "checkin_lockout_failures": (*FAILURES_BOUNDS, 1),
    "checkin_lockout_window_s": (*WINDOW_BOUNDS_S, 86400),
    "checkin_lockout_pause_s": (*PAUSE_BOUNDS_S, 10),
    "staff_idle_timeout_s": (30, STAFF_IDLE_MAX_S, 30),
    "pin_free_failures": (0, 10, 1),
    "pin_backoff_base_s": (0.1, 60, 0.5),
    "pin_backoff_max_s": (1, 3600, 30),
    "voice_volume": (0, 100, 5),
    "voice_rate_wpm": (80, 300, 10),
    "retention_years": (1, 30, 1),
}
#: Each setting's label, by catalog key (looked up when the page is built).
LABEL_KEYS = {
    "clinic_name": "staff.settings.clinic_name",
    "clinic_language": "staff.settings.clinic_language",
    "patient_idle_timeout_s": "staff.settings.patient_idle",
    "patient_idle_respond_s": "staff.settings.patient_respond",
    "checkin_lockout_failures": "staff.settings.lockout_failures",
    "checkin_lockout_window_s": "staff.settings.lockout_window",
    "checkin_lockout_pause_s": "staff.settings.lockout_pause",
    "staff_idle_timeout_s": "staff.settings.staff_idle",
    "pin_free_failures": "staff.settings.free_failures",
    "pin_backoff_base_s": "staff.settings.backoff_base",
    "pin_backoff_max_s": "staff.settings.backoff_max",
    "voice_enabled": "staff.settings.voice",
    "voice_volume": "staff.settings.volume",
    "voice_rate_wpm": "staff.settings.rate",
    "voice_name": "staff.settings.voice_name",
    "voice_style": "staff.settings.voice_style",
    "clinic_video_folder": "staff.settings.video_folder",
    "retention_years": "staff.settings.retention_years",
}
SECTIONS = (
    (
        "staff.settings.section_clinic",
        ("clinic_name", "clinic_language", "patient_idle_timeout_s", "patient_idle_respond_s"),
    ),
    (
        "staff.settings.section_checkin",
        ("checkin_lockout_failures", "checkin_lockout_window_s", "checkin_lockout_pause_s"),
    ),
    (
        "staff.settings.section_security",
        ("staff_idle_timeout_s", "pin_free_failures", "pin_backoff_base_s", "pin_backoff_max_s"),
    ),
    (
        "staff.settings.section_voice",
        ("voice_enabled", "voice_style", "voice_volume", "voice_rate_wpm", "voice_name"),
    ),
    ("staff.settings.section_video", ("clinic_video_folder",)),
    ("staff.settings.section_records", ("retention_years",)),
)
TEXT_MAX = {"clinic_name": 60, "voice_name": 64}
#: The words for each kind of voice (docs/voice.md: natural is Piper, classic espeak-ng).
VOICE_STYLE_KEYS = {
    "natural": "staff.settings.voice_natural",
    "classic": "staff.settings.voice_classic",
}


def in_words(error: Exception) -> str:
    """The repository's reason with each setting's name as the form shows it."""
    reason = str(error)
    for name in sorted(LABEL_KEYS, key=len, reverse=True):
        reason = reason.replace(name, f"“{t(LABEL_KEYS[name])}”")
    return reason


class QtSettingsPage(QtStaffPage):
    """The clinic settings form."""

    def __init__(self, context: StaffContext) -> None:
        super().__init__(context, "SettingsPage", t("staff.tab.settings"))
        theme = context.theme
        m = theme.metrics
        self._repo = SettingsRepository(context.database)
        self.saved: ClinicSettings = self._repo.load()
        self.values: dict[str, Any] = asdict(self.saved)

        form_widget = QWidget()
        form_widget.setObjectName("SettingsForm")
        form = QGridLayout(form_widget)
        form.setContentsMargins(0, 0, m.spacing, 0)
        form.setHorizontalSpacing(m.spacing)
        form.setVerticalSpacing(m.spacing_small)
        form.setColumnStretch(1, 1)
        self.steppers: dict[str, QtStepper] = {}
        self.text_buttons: dict[str, QPushButton] = {}
        self._editing = ""
        row = 0
        for title, names in SECTIONS:
            form.addWidget(make_section(t(title)), row, 0, 1, 2)
            row += 1
            for name in names:
                form.addWidget(
                    make_label(t(LABEL_KEYS[name]), "body", name=f"Label_{name}"), row, 0
                )
                form.addWidget(self._control(name), row, 1)
                row += 1
        # Voice control belongs to this kiosk, not the clinic's database: saved as chosen.
        from kiosk.ui.staff_mode.voice_control_settings import QtVoiceControlSettings

        self.voice_control = QtVoiceControlSettings(theme, context.voice_control_changed)
        form.addWidget(self.voice_control, row, 0, 1, 2)
        row += 1
        form.setRowStretch(row, 1)
        self.form_scroll = make_scroll_area(form_widget, "SettingsScroll")
        self.root.addWidget(self.form_scroll, 1)

        self.undo_button = make_button(t("staff.settings.undo"), name="SettingsUndoButton")
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        self.save_button = make_button(
            t("staff.settings.save"), "primary", name="SettingsSaveButton"
        )
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.message = self.add_footer("SettingsMessage", self.undo_button, self.save_button)
        self._show_values()

    def _control(self, name: str) -> QWidget:
        theme = self.context.theme
        if name in NUMBERS:
            low, high, step = NUMBERS[name]
            stepper = QtStepper(theme, f"Setting_{name}", minimum=low, maximum=high, step=step)
            stepper.setProperty("setting", name)
            stepper.value_chosen.connect(self._on_stepper_value_chosen)
            self.steppers[name] = stepper
            return stepper
        if name == "voice_enabled":
            self.voice_row = QtChoiceRow(
                theme,
                "Setting_voice_enabled",
                [("on", t("staff.settings.voice_on")), ("off", t("staff.settings.voice_off"))],
            )
            self.voice_row.changed.connect(self._on_voice_row_changed)
            return self.voice_row
        if name == "voice_style":
            return self._voice_style_control()
        if name == "clinic_language":
            # Each language by its own name ("Español"), whatever the screen's language.
            self.language_row = QtChoiceRow(
                theme,
                "Setting_clinic_language",
                [(code, text.language(code).name) for code in CHOICES["clinic_language"]],
            )
            self.language_row.changed.connect(self._on_language_row_changed)
            return self.language_row
        if name == "clinic_video_folder":
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(theme.metrics.spacing_small)
            self.folder = make_label("", "body", name="SettingsVideoFolder")
            row.addWidget(self.folder, 1)
            self.folder_button = make_button(
                t("staff.settings.video_choose"), name="SettingsFolderButton"
            )
            self.folder_button.clicked.connect(self._on_folder_button_clicked)
            row.addWidget(self.folder_button)
            self.folder_clear = make_button(
                t("staff.settings.video_clear"), name="SettingsFolderClear"
            )
            self.folder_clear.clicked.connect(self._on_folder_clear_clicked)
            row.addWidget(self.folder_clear)
            return box
        button = make_button("", name=f"Setting_{name}")
        button.setProperty("role", "field")
        button.setProperty("setting", name)
        button.clicked.connect(self._on_text_button_clicked)
        self.text_buttons[name] = button
        return button

    def _voice_style_control(self) -> QWidget:
        """Natural or classic, and Listen: a sample in the voice chosen (not yet saved)."""
        theme = self.context.theme
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(theme.metrics.spacing_small)
        self.style_row = QtChoiceRow(
            theme,
            "Setting_voice_style",
            [(key, t(VOICE_STYLE_KEYS[key])) for key in CHOICES["voice_style"][::-1]],
        )
        self.style_row.changed.connect(self._on_style_row_changed)
        row.addWidget(self.style_row, 1)
        self.listen_button = make_button(t("staff.settings.listen"), name="SettingsListenButton")
        self.listen_button.clicked.connect(self._on_listen_button_clicked)
        row.addWidget(self.listen_button)
        return box

    # -- the form --------------------------------------------------------------------------

    def entered(self) -> None:
        if not self.changed():
            self._reload()
            self._show_unusable()
        self.voice_control.start_meter()

    def _show_unusable(self) -> None:
        """Stored values the kiosk could not use (their defaults are in the form): say so,
        so staff can save a good one."""
        if self._repo.unusable:
            reasons = "; ".join(in_words(ValueError(r)) for r in self._repo.unusable.values())
            self.message.show_error(t("staff.settings.stored_unusable", reasons=reasons))

    def left(self) -> None:
        self.voice_control.stop_meter()

    def changed(self) -> dict[str, Any]:
        """The form's values that differ from what is stored."""
        saved = asdict(self.saved)
        return {k: v for k, v in self.values.items() if saved[k] != v}

    def _reload(self) -> None:
        self.saved = self._repo.load()
        self.values = asdict(self.saved)
        self._show_values()

    def _show_values(self) -> None:
        for name, stepper in self.steppers.items():
            stepper.set_value(self.values[name])
        self.voice_row.set_chosen("on" if self.values["voice_enabled"] else "off")
        self.style_row.set_chosen(self.values["voice_style"])
        self.language_row.set_chosen(self.values["clinic_language"])
        for name, button in self.text_buttons.items():
            text = self.values[name]
            if name == "voice_name" and not text:
                text = t("staff.settings.voice_name_default")
            button.setText(text)
        folder = self.values["clinic_video_folder"]
        self.folder.setText(folder or t("staff.settings.video_none"))
        self.folder_clear.setEnabled(bool(folder))
        self.undo_button.setEnabled(bool(self.changed()))

    def set_value(self, name: str, value: Any) -> None:
        """Change one value in the form (not yet stored)."""
        current = self.values[name]
        if isinstance(current, int) and not isinstance(current, bool) and isinstance(value, float):
            value = round(value)  # a whole-number setting
        self.values[name] = value
        self.message.clear_message()
        self._show_values()

    def _on_stepper_value_chosen(self, value: float) -> None:
        stepper = self.sender()
        if isinstance(stepper, QtStepper):
            self.set_value(str(stepper.property("setting")), value)

    def _on_voice_row_changed(self) -> None:
        self.set_value("voice_enabled", self.voice_row.chosen == "on")

    def _on_style_row_changed(self) -> None:
        self.set_value("voice_style", self.style_row.chosen)

    def _on_language_row_changed(self) -> None:
        self.set_value("clinic_language", self.language_row.chosen)

    def _on_listen_button_clicked(self) -> None:
        style = str(self.values["voice_style"])
        listen = self.context.listen
        if listen is None or not listen(style, self._listen_fell_back):
            self.message.show_error(t("staff.settings.listen_no_sound"))
            return
        voice = t(VOICE_STYLE_KEYS[style]).lower()
        self.message.show_ok(t("staff.settings.listen_playing", voice=voice))

    def _listen_fell_back(self) -> None:
        """The sample was spoken by the classic voice: the natural one could not start here
        (or does not speak the clinic's language), and sessions would sound the same."""
        self.message.show_error(t("staff.settings.listen_fell_back"))

    def _on_text_button_clicked(self) -> None:
        button = self.sender()
        if button is None:
            return
        self._editing = str(button.property("setting"))
        self.context.ask_text(
            t(LABEL_KEYS[self._editing]),
            self.values[self._editing],
            self._text_entered,
            max_length=TEXT_MAX[self._editing],
        )

    def _text_entered(self, text: str) -> str | None:
        name = self._editing
        if name == "clinic_name" and not text.strip():
            return t("staff.settings.text_length", label=t(LABEL_KEYS[name]), most=TEXT_MAX[name])
        self.set_value(name, text.strip())
        return None

    def _on_folder_button_clicked(self) -> None:
        assert self.context.files is not None
        current = self.values["clinic_video_folder"]
        folder = Path(current) if current and Path(current).is_dir() else None
        self.context.files.choose_folder(
            t("staff.folder.title"), self._folder_chosen, folder=folder
        )

    def _folder_chosen(self, path: Path) -> None:
        self.set_value("clinic_video_folder", str(path))

    def _on_folder_clear_clicked(self) -> None:
        self.set_value("clinic_video_folder", "")

    # -- saving ----------------------------------------------------------------------------

    def _show_field_of(self, reason: str) -> None:
        """Scroll to the first setting the reason names, so staff see what to change."""
        named = [n for n in LABEL_KEYS if n in reason]
        if not named:
            return
        first = min(named, key=reason.index)
        widget = self.steppers.get(first) or self.text_buttons.get(first)
        if widget is not None:
            self.form_scroll.ensureWidgetVisible(widget)

    def _on_undo_button_clicked(self) -> None:
        self.message.clear_message()
        self._reload()

    def _on_save_button_clicked(self) -> None:
        changes = self.changed()
        if not changes:
            self.message.show_ok(t("staff.settings.unchanged"))
            return
        try:
            self.saved = self._repo.update(self.context.actor, **changes)
        except SettingsError as error:
            self.message.show_error(t("staff.settings.refused", reason=in_words(error)))
            self._show_field_of(str(error))
            return  # the form keeps every value
        self.values = asdict(self.saved)
        self._show_values()
        self.context.apply_settings(self.saved)
        if "clinic_language" in changes and self.saved.clinic_language != text.current().code:
            self.message.show_ok(t("staff.settings.saved_language"))
        else:
            self.message.show_ok(t("staff.settings.saved"))
