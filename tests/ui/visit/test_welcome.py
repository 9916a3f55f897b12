"""Before the session: the welcome, the safety line, pain before, voice, large text, contrast."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.records import FeedbackKind
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.theme import HIGH_CONTRAST, MIN_TOUCH_PX, contrast_ratio
from kiosk.ui.visit.program_screen import QtProgramScreen
from tests.clinic import ANN, TOM
from tests.ui.conftest import check_in, tap
from tests.ui.visit.conftest import feedback, player_of, screens_in
from voice.settings import VoiceMode

JK = "305718"


def program_of(window: QtKioskWindow) -> QtProgramScreen:
    assert window.visit.program is not None
    return window.visit.program


def visible_buttons(widget: QWidget) -> list[QPushButton]:
    return [b for b in widget.findChildren(QPushButton) if b.isVisibleTo(widget)]


def test_the_welcome_greets_by_name_with_the_librarys_safety_line(window: QtKioskWindow) -> None:
    check_in(window, TOM)
    program = program_of(window)
    assert program.greeting.text() == "Hello, Tom"
    assert "hurts" in program.reminder.text()
    assert "stop" in program.reminder.text().lower()
    assert program.pain_scale.question.text() == t("pain.before_question")
    assert [b.text() for b in program.pain_scale.buttons] == [str(n) for n in range(11)]
    assert not program.toggles.voice_button.isVisibleTo(program)  # no voice on this kiosk
    assert program.toggles.large_button.text() == "Large text: off"
    assert program.toggles.contrast_button.text() == "High contrast: off"


def test_the_pain_buttons_are_large_and_apart(window: QtKioskWindow) -> None:
    check_in(window, TOM)
    buttons = program_of(window).pain_scale.buttons
    window.repaint()
    assert all(b.height() >= MIN_TOUCH_PX and b.width() >= MIN_TOUCH_PX for b in buttons)
    gaps = [b.geometry().left() - a.geometry().right() for a, b in itertools.pairwise(buttons)]
    assert min(gaps) >= 16


def test_pain_before_is_logged_when_the_session_starts(
    window: QtKioskWindow, services: KioskServices
) -> None:
    check_in(window, ANN)
    program = program_of(window)
    tap(program.pain_scale.buttons[6])
    tap(program.pain_scale.buttons[4])  # a change of mind: the last tap counts
    assert program.pain_before == 4
    assert program.pain_scale.answer.text() == "✓  You chose 4. Thank you."
    assert program.pain_scale.buttons[4].property("chosen") is True
    assert feedback(services) == []  # no session yet: nothing to attach it to
    tap(program.start_button)
    (row,) = feedback(services, FeedbackKind.PAIN_BEFORE)
    assert (row.session_id, row.value) == (1, "4")


def test_pain_before_can_be_skipped(window: QtKioskWindow, services: KioskServices) -> None:
    check_in(window, ANN)
    tap(program_of(window).start_button)
    assert window.visit.player is not None
    assert feedback(services, FeedbackKind.PAIN_BEFORE) == []


def test_large_text_rethemes_the_whole_window_and_keeps_the_answer(
    window: QtKioskWindow,
) -> None:
    check_in(window, ANN)
    tap(program_of(window).pain_scale.buttons[3])
    body = window.theme.metrics.font_body
    tap(program_of(window).toggles.large_button)
    program = program_of(window)  # rebuilt in the new sizes
    assert window.theme.large_text
    assert window.theme.metrics.font_body == round(body * 1.5)
    assert f"font-size: {round(body * 1.5)}px" in window.styleSheet()
    assert program.toggles.large_button.text() == "Large text: on"
    assert program.toggles.large_button.isChecked()
    assert program.pain_before == 3
    assert program.greeting.font().pixelSize() > 0
    # Every screen after it is built in large text too, and its words still fit at 1280x800.
    tap(program.start_button)
    player = player_of(window)
    assert player.theme.large_text
    window.repaint()
    row = [player.pause_button, player.next_button, player.stop_button, player.hurts_button]
    clipped = [b.objectName() for b in row if b.width() < b.sizeHint().width()]
    assert not clipped
    assert all(b.height() >= MIN_TOUCH_PX for b in row)


def test_jks_five_exercises_scroll_in_large_text_at_1280x800_with_start_in_reach(
    window: QtKioskWindow,
) -> None:
    check_in(window, JK)
    tap(program_of(window).toggles.large_button)
    program = program_of(window)
    window.repaint()
    assert (window.width(), window.height()) == (1280, 800)
    start = program.start_button
    corner = start.mapTo(window, QPoint(start.width(), start.height()))
    assert window.rect().contains(corner)  # Start never scrolls away
    bar = program.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0  # the rest is reached by scrolling
    program.scroll_area.ensureWidgetVisible(program.cards[-1])
    last = program.cards[-1]
    viewport = program.scroll_area.viewport()
    top_left = last.mapTo(viewport, QPoint(0, 0))
    assert viewport.rect().contains(top_left)
    too_small = [b.objectName() for b in visible_buttons(program) if b.height() < MIN_TOUCH_PX]
    assert not too_small
    # Nothing wider than the window: the toggles sit in two columns.
    assert all(b.mapTo(window, QPoint(b.width(), 0)).x() <= 1280 for b in visible_buttons(program))


def test_high_contrast_is_black_white_and_yellow_with_body_text_at_least_7_to_1(
    window: QtKioskWindow,
) -> None:
    check_in(window, TOM)
    tap(program_of(window).toggles.contrast_button)
    assert window.theme.high_contrast
    assert window.theme.palette == HIGH_CONTRAST
    sheet = window.styleSheet()
    assert "background: #000000" in sheet
    p = window.theme.palette
    for foreground, background in (
        (p.text, p.background),
        (p.muted, p.surface),
        (p.on_primary, p.primary),
        (p.on_danger, p.danger),
        (p.on_notice, p.notice),
        (p.disabled_text, p.background),
    ):
        assert contrast_ratio(foreground, background) >= 7.0
    assert program_of(window).toggles.contrast_button.text() == "High contrast: on"
    tap(program_of(window).start_button)
    assert player_of(window).theme.high_contrast


def test_the_display_choice_lasts_for_the_visit_only(window: QtKioskWindow) -> None:
    check_in(window, TOM)
    tap(program_of(window).toggles.large_button)
    tap(program_of(window).toggles.contrast_button)
    assert window.theme.large_text
    assert window.theme.high_contrast
    window.go_to_attract()  # a goodbye, or an idle logout
    assert window.theme == window.base_theme
    check_in(window, TOM)
    assert program_of(window).toggles.large_button.text() == "Large text: off"


def test_each_display_change_replaces_the_welcome_and_leaves_none_behind(
    window: QtKioskWindow,
) -> None:
    """Found by the clinic-day soak (``make soak-day``): the welcome a display change
    replaced stayed in the window all day, the patient's name on it."""
    check_in(window, TOM)
    tap(program_of(window).toggles.large_button)
    tap(program_of(window).toggles.contrast_button)
    assert screens_in(window, QtProgramScreen) == [program_of(window)]
    window.go_to_attract()
    assert screens_in(window, QtProgramScreen) == []


def test_the_voice_toggle_uses_the_voice_settings_for_this_visit(
    qtbot: QtBot, voice_window: QtKioskWindow
) -> None:
    voice = voice_window.voice
    assert voice is not None
    check_in(voice_window, ANN)
    toggle = program_of(voice_window).toggles.voice_button
    assert toggle.isVisibleTo(program_of(voice_window))
    assert toggle.text() == "Voice: on"
    tap(toggle)
    assert toggle.text() == "Voice: off"
    assert voice.settings is not None
    assert voice.settings.mode is VoiceMode.TONES  # words off; the countdown still beeps
    tap(program_of(voice_window).start_button)
    assert voice.settings.mode is VoiceMode.TONES  # kept into the session
    voice_window.go_to_attract()
    assert voice.settings == voice.defaults  # the next patient gets the staff's defaults


def _inside(widget: QWidget, area: QWidget) -> bool:
    """Whether all of ``widget`` lies within ``area`` (nothing cut off at its edges)."""
    top_left = widget.mapTo(area, QPoint(0, 0))
    return top_left.x() >= 0 and top_left.x() + widget.width() <= area.width()


def test_the_display_toggles_wrap_rather_than_widen_the_screen(
    voice_window: QtKioskWindow, pseudo_language: None
) -> None:
    # Large text in a language with longer words than English (the pseudo-language's ⟦ ⟧ and
    # accents): the three toggles no longer fit on one line at 1280x800.
    window = voice_window
    check_in(window, ANN)
    tap(program_of(window).toggles.large_button)
    program = program_of(window)
    window.repaint()
    toggles = program.toggles
    buttons = [toggles.voice_button, toggles.large_button, toggles.contrast_button]
    assert all(b.isVisible() for b in buttons)
    viewport = program.scroll_area.viewport()
    assert len({b.y() for b in buttons}) == 2  # on two lines
    assert all(_inside(b, viewport) for b in buttons)
    assert all(b.width() >= b.sizeHint().width() for b in buttons)  # no word cut off
    ends = [label for label in program.pain_scale.findChildren(QLabel) if label.isVisible()]
    assert ends
    assert all(_inside(label, viewport) for label in ends)
    window.go_to_attract()


def test_in_english_the_toggles_stay_on_one_line_of_equal_buttons(window: QtKioskWindow) -> None:
    check_in(window, ANN)
    tap(program_of(window).toggles.large_button)
    program = program_of(window)
    window.repaint()
    toggles = program.toggles
    buttons = [b for b in (toggles.large_button, toggles.contrast_button) if b.isVisible()]
    assert len({b.y() for b in buttons}) == 1
    assert len({b.width() for b in buttons}) == 1
    assert all(_inside(b, program.scroll_area.viewport()) for b in buttons)
