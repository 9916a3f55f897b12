"""The session player: coaches one session, step by step.

Everything shown comes from the engine: the step (what, which set, which rep, which side),
the phase (LIFT / HOLD / LOWER), the remaining seconds and the state. The screen writes back
only through engine commands, run by the driver. Sides are named in words and arrows
("◀ LEFT leg"), never shown by colour alone; the phase word and counts are the largest text
after the ring, for a patient reading from a metre away while moving.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.clock import Clock
from kiosk.core.events import (
    CueDue,
    PainReported,
    PhaseStarted,
    SessionEnded,
    SessionState,
    StateChanged,
    StepStarted,
)
from kiosk.core.records import FeedbackKind, SetRecord
from kiosk.core.timeline import Side, Step, StepKind, Tone
from kiosk.text import t
from kiosk.ui.runners.session_driver import QtSessionDriver
from kiosk.ui.theme import Theme
from kiosk.ui.visit.demonstration import QtDemonstration
from kiosk.ui.visit.player_overlays import QtPainOverlay, QtStopOverlay
from kiosk.ui.visit.rating import QtRatingPanel
from kiosk.ui.visit.sound_panel import QtSoundPanel, QtToneFlash
from kiosk.ui.visit.spoken_commands import QtSpokenCommands
from kiosk.ui.visit.summary_screen import SessionSummary
from kiosk.ui.widgets.base import QtScreen, make_button, make_label, set_style_property
from kiosk.ui.widgets.ring import QtCountdownRing

if TYPE_CHECKING:
    from kiosk.patient.checkin import CheckIn
    from kiosk.patient.feedback import FeedbackRecorder
    from kiosk.ui.runners.voice_bridge import QtVoiceBridge
    from kiosk.ui.runners.voice_control import QtVoiceControl

_CENTER = Qt.AlignmentFlag.AlignCenter
_WORK = frozenset({StepKind.COUNTDOWN, StepKind.REP, StepKind.HOLD})
_RESTFUL = frozenset({StepKind.INTRO, StepKind.REST, StepKind.SWITCH_SIDE, StepKind.DONE})
_SIDE_TEXT = {Side.LEFT: "side.left", Side.RIGHT: "side.right"}
MAX_KEY_POINTS = 3


class QtPlayerScreen(QtScreen):
    """Shows a running session and takes Pause/Resume, Next, Stop and "It hurts".

    "It hurts" pauses at once; its overlay offers skipping the exercise, ending, calling
    staff (a banner, a chime — or a flash when nothing can be heard —, a ``call_staff``
    feedback event on the staff board) or carrying on. In the rest after an exercise's last
    set the demonstration makes way for a one-tap rating of it; nobody has to answer: it goes
    when the rest ends and the session never waits for it. ``feedback`` receives the answers
    (None: not recorded, e.g. a rehearsal); ``earlier`` are the sets of a resumed session
    logged before today's restart, for the summary's totals.

    Signals:
        session_ended(object): a :class:`SessionSummary`, once the engine has ended.
    """

    session_ended = Signal(object)

    def __init__(
        self,
        theme: Theme,
        driver: QtSessionDriver,
        checkin: CheckIn,
        clock: Clock,
        parent: QWidget | None = None,
        *,
        voice: QtVoiceBridge | None = None,
        feedback: FeedbackRecorder | None = None,
        earlier: tuple[SetRecord, ...] = (),
        video_folder: Path | None = None,
        listen: QtVoiceControl | None = None,
    ) -> None:
        super().__init__(theme, parent)
        self.setObjectName("PlayerScreen")
        self._video_folder = video_folder
        self.voice = voice
        self.feedback = feedback
        self._earlier = earlier
        self._holding_idle = False
        self.driver = driver
        self.engine = driver.engine
        self.checkin = checkin
        self._clock = clock
        self._started_at: float | None = None
        self._step: Step | None = None
        self._paused_for_stop = False
        self._build()
        self.pain_overlay = QtPainOverlay(theme, self)
        self.pain_overlay.resume_requested.connect(self._on_pain_overlay_resume_requested)
        self.pain_overlay.end_requested.connect(self._on_pain_overlay_end_requested)
        self.pain_overlay.skip_requested.connect(self._on_pain_overlay_skip_requested)
        self.pain_overlay.call_staff_requested.connect(self._on_pain_overlay_call_staff_requested)
        self.stop_overlay = QtStopOverlay(theme, self)
        self.stop_overlay.keep_going_requested.connect(self._on_stop_overlay_keep_going_requested)
        self.stop_overlay.end_requested.connect(self._on_stop_overlay_end_requested)
        self.sound_panel = QtSoundPanel(theme, self)
        self.sound_panel.settings_chosen.connect(self._on_sound_panel_settings_chosen)
        self.tone_flash = QtToneFlash(theme, self)
        if voice is not None:
            voice.progress_changed.connect(self._on_voice_progress_changed)
            self._on_voice_progress_changed(*voice.progress)
        driver.event_emitted.connect(self._on_driver_event_emitted)
        driver.refreshed.connect(self._on_driver_refreshed)
        self.spoken: QtSpokenCommands | None = None
        if listen is not None:
            self.spoken = QtSpokenCommands(self, listen, self)

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        m = self.theme.metrics
        root = QVBoxLayout(self)
        root.setContentsMargins(m.margin, m.margin * 2 // 3, m.margin, m.margin * 2 // 3)
        root.setSpacing(m.spacing)

        header = QHBoxLayout()
        header.setSpacing(m.spacing)
        self.title = make_label("", "title", name="StepTitle")
        # As tall as the side badge, so the screen does not jump when the badge comes and goes.
        self.title.setMinimumHeight(m.touch)
        header.addWidget(self.title, 1)
        self.side_badge = make_label("", "body", name="SideBadge", wrap=False)
        self.side_badge.setAlignment(_CENTER)
        self.side_badge.setFixedHeight(m.touch)
        self.side_badge.setProperty("side", "none")
        header.addWidget(self.side_badge, 0, Qt.AlignmentFlag.AlignTop)
        root.addLayout(header)

        body = QGridLayout()
        body.setHorizontalSpacing(m.margin)
        body.setVerticalSpacing(m.spacing // 2)
        # The animated coach (or the clinic's video), moved by this screen's refresh; in the
        # rest after an exercise, the rating of it takes its place.
        self.demo_area = QtDemonstration(self.theme, video_folder=self._video_folder)
        body.addWidget(self.demo_area, 0, 0, 2, 1)
        # The rating takes the ring's column too: three 88 px buttons in a row, whatever the
        # text size (stacked beside the ring they did not fit at 1280×800).
        self.rating_panel = QtRatingPanel(self.theme, self.checkin.program, self.engine.timeline)
        self.rating_panel.rated.connect(self._on_rating_panel_rated)
        self.rating_panel.hide()
        body.addWidget(self.rating_panel, 0, 0, 2, 2)

        self.ring = QtCountdownRing(self.theme)
        body.addWidget(self.ring, 0, 1)
        self.phase_word = make_label("", "body", name="PhaseWord", wrap=False, align=_CENTER)
        self.phase_word.setMinimumHeight(int(m.font_huge * 1.3))
        body.addWidget(self.phase_word, 1, 1)

        info = QVBoxLayout()
        info.setSpacing(m.spacing)
        self.status = make_label("", "strong", name="StepStatus")
        self.set_label = make_label("", "strong", name="SetLabel")
        self.rep_label = make_label("", "accent", name="RepLabel")
        self.next_up = make_label("", "large", name="NextUp")
        info.addStretch(1)
        for label in (self.status, self.set_label, self.rep_label, self.next_up):
            info.addWidget(label)
        info.addStretch(1)
        # The patient's sound settings: at hand in the corner, off the row of session controls.
        self.voice_status = make_label("", "small", name="VoiceStatus")
        self.voice_status.hide()
        info.addWidget(self.voice_status)
        # Voice control: the microphone indicator and what can be said (only with a control).
        self.mic_status = make_label("", "small", name="MicStatus")
        self.mic_status.hide()
        info.addWidget(self.mic_status)
        self.say_hint = make_label("", "small", name="SayHint")
        self.say_hint.hide()
        info.addWidget(self.say_hint)
        self.sound_button = make_button(t("player.sound"), name="SoundButton")
        self.sound_button.clicked.connect(self._on_sound_button_clicked)
        self.sound_button.setMinimumWidth(m.px(250))
        if self.voice is None:
            self.sound_button.hide()  # (never show() a widget that has no parent yet)
        info.addWidget(self.sound_button, 0, Qt.AlignmentFlag.AlignLeft)
        body.addLayout(info, 0, 2, 2, 1)
        body.setColumnStretch(0, 7)  # the demonstration: as large as the layout allows
        body.setColumnStretch(1, 5)
        body.setColumnStretch(2, 5)
        body.setRowStretch(0, 1)
        root.addLayout(body, 1)

        self.caption = make_label("", "body", name="Caption", align=_CENTER)
        self.caption.setMinimumHeight(int(m.font_large * 1.4))
        root.addWidget(self.caption)
        self.key_points = make_label("", "muted", name="KeyPoints", align=_CENTER)
        root.addWidget(self.key_points)

        buttons = QHBoxLayout()
        buttons.setSpacing(m.spacing)
        self.pause_button = make_button(t("player.pause"), name="PauseButton")
        self.pause_button.clicked.connect(self._on_pause_button_clicked)
        self.next_button = make_button(t("player.next"), name="NextButton")
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.stop_button = make_button(t("player.stop"), name="StopButton")
        self.stop_button.clicked.connect(self._on_stop_button_clicked)
        for button in (self.pause_button, self.next_button, self.stop_button):
            button.setMinimumWidth(m.px(250))
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.hurts_button = make_button(t("player.hurts"), "danger", name="HurtsButton")
        self.hurts_button.setMinimumWidth(m.px(420))
        self.hurts_button.clicked.connect(self._on_hurts_button_clicked)
        buttons.addWidget(self.hurts_button)
        root.addLayout(buttons)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self, from_step: int = 0) -> None:
        """Start the engine at ``from_step`` (its first events fill the screen)."""
        self._started_at = self._clock()
        if self.voice is not None:
            self.voice.attach(self.engine)  # before the driver: sound and screen in one update
        self.driver.start(from_step)
        self._show_step(self.engine.current_step())
        self._show_state(self.engine.state)
        if self.spoken is not None:
            self.mic_status.show()
            self.spoken.start()

    def left(self) -> None:
        self._stop_listening()
        self.driver.shutdown()
        self.demo_area.shutdown()
        self.tone_flash.stop()
        self._hold_idle(False)
        if self.voice is not None:
            self.voice.detach(reset=False)  # the visit goes on: reset at logout

    # -- engine → screen -----------------------------------------------------------------

    def _on_driver_event_emitted(self, event: object) -> None:
        if isinstance(event, StepStarted):
            self.caption.setText("")
            self._show_step(event.step)
        elif isinstance(event, PhaseStarted):
            self.phase_word.setText(event.phase.word.upper())
        elif isinstance(event, CueDue):
            cue = event.cue
            if cue.text:  # every word spoken is shown, word for word
                self.caption.setText(cue.text)
            elif cue.tone is not None and (self.voice is None or not self.voice.tones_audible):
                self.tone_flash.flash(cue.tone)
        elif isinstance(event, PainReported):
            self.caption.setText(t("cue.pain_stop"))
        elif isinstance(event, StateChanged):
            self._show_state(event.new)
        elif isinstance(event, SessionEnded):
            self._on_session_ended(event)

    def _on_driver_refreshed(self) -> None:
        step = self._step
        if step is None:
            return
        self.ring.set_time(self.engine.remaining_in_step_s(), step.duration_s)
        self.demo_area.refresh(self.engine.position_s())
        if step.kind is StepKind.REP:
            phase = self.engine.current_phase()
            if phase is not None:
                self.phase_word.setText(phase.word.upper())

    def _show_step(self, step: Step) -> None:
        self._step = step
        kind = step.kind
        item = (
            self.checkin.program.items[step.exercise_index]
            if step.exercise_index is not None
            else None
        )
        self.title.setText(step.title or (item.name if item else ""))
        self.ring.set_mode("rest" if kind in _RESTFUL else "work")
        self.ring.set_time(self.engine.remaining_in_step_s(), step.duration_s)

        status = {
            StepKind.INTRO: t("player.get_ready"),
            StepKind.COUNTDOWN: t("player.starting"),
            StepKind.REST: t("player.rest_hint"),
        }.get(kind, "")
        self.status.setText(status)
        self.status.setVisible(bool(status))

        show_set = kind in _WORK and step.set is not None and step.sets_total is not None
        self.set_label.setText(
            t("player.set", set=step.set, total=step.sets_total) if show_set else ""
        )
        self.set_label.setVisible(show_set)
        show_rep = kind is StepKind.REP and step.rep is not None and step.reps_total is not None
        self.rep_label.setText(
            t("player.rep", rep=step.rep, total=step.reps_total) if show_rep else ""
        )
        self.rep_label.setVisible(show_rep)

        next_up = ""
        if kind is StepKind.REST and step.next_up:
            next_up = t("player.next_up", what=step.next_up)
        elif kind is StepKind.SWITCH_SIDE and step.side is not None:
            next_up = t("player.next_up", what=t(_SIDE_TEXT[step.side]).strip(" ◀▶"))
        self.next_up.setText(next_up)
        self.next_up.setVisible(bool(next_up))

        side = step.side if kind is not StepKind.REST else None
        self.side_badge.setText(t(_SIDE_TEXT[side]) if side is not None else "")
        set_style_property(self.side_badge, "side", side.value if side is not None else "none")
        self.side_badge.setVisible(side is not None)

        phase = self.engine.current_phase() if kind is StepKind.REP else None
        if kind is StepKind.HOLD:
            self.phase_word.setText(t("player.hold").upper())
        else:
            self.phase_word.setText(phase.word.upper() if phase is not None else "")

        self._show_rating(step)
        # In large text the key points give way to the picture: the intro says them and the
        # caption shows them; at 1.5× they would squeeze the demonstration to a strip.
        show_points = item is not None and kind is not StepKind.REST and not self.theme.large_text
        points = item.key_points[:MAX_KEY_POINTS] if item and show_points else ()
        self.key_points.setText("   ·   ".join(points))
        self.key_points.setVisible(bool(points))
        self.next_button.setEnabled(kind is not StepKind.DONE)
        self.demo_area.show_step(step, item)
        self.demo_area.refresh(self.engine.position_s())

    def _show_state(self, state: SessionState) -> None:
        paused = state in (SessionState.PAUSED, SessionState.PAIN)
        self.demo_area.set_paused(paused)
        self.pause_button.setText(t("player.resume") if paused else t("player.pause"))
        self.ring.set_caption(t("player.paused") if paused else t("player.seconds"))
        if state is SessionState.PAIN:
            self.stop_overlay.hide()
            if not self.pain_overlay.isVisible():
                self.pain_overlay.open()
        else:
            self.pain_overlay.hide()
            self._hold_idle(False)

    def _stop_listening(self) -> None:
        spoken, self.spoken = self.spoken, None
        if spoken is not None:
            spoken.stop()

    def _on_session_ended(self, event: SessionEnded) -> None:
        self._stop_listening()
        self.driver.shutdown()
        self.demo_area.shutdown()
        self.pain_overlay.hide()
        self.stop_overlay.hide()
        self._hold_idle(False)
        started = self._started_at if self._started_at is not None else self._clock()
        summary = SessionSummary.from_event(
            self.checkin.display_name,
            event,
            self._clock() - started,
            earlier=self._earlier,
            rate=self.rating_panel.unrated_last(event),
        )
        self.session_ended.emit(summary)

    # -- rating each exercise ----------------------------------------------------------------

    def _show_rating(self, step: Step) -> None:
        offered = self.rating_panel.offer(step)
        self.rating_panel.setVisible(offered)
        for widget in (self.demo_area, self.ring, self.phase_word):
            widget.setVisible(not offered)

    @property
    def rating_shown(self) -> bool:
        return not self.rating_panel.isHidden()

    def _on_rating_panel_rated(self, index: int, value: str) -> None:
        if self.feedback is not None:
            item = self.checkin.program.items[index]
            self.feedback.record(
                FeedbackKind.DIFFICULTY, value, exercise_index=index, exercise_id=item.exercise_id
            )

    # -- screen → engine ------------------------------------------------------------------

    # The same actions for a touch and for a spoken command (kiosk.ui.visit.spoken_commands).

    def toggle_pause(self) -> None:
        self._on_pause_button_clicked()

    def skip_step(self) -> None:
        if self._step is not None and self._step.kind is not StepKind.DONE:
            self._on_next_button_clicked()

    def say_again(self) -> None:
        self.driver.command(self.engine.repeat)

    def report_pain(self) -> None:
        self._on_hurts_button_clicked()

    def carry_on_after_pain(self) -> None:
        self._on_pain_overlay_resume_requested()

    def ask_to_stop(self) -> None:
        self._on_stop_button_clicked()

    def keep_going_from_stop_question(self) -> None:
        self._on_stop_overlay_keep_going_requested()

    def end_from_stop_question(self) -> None:
        self._on_stop_overlay_end_requested()

    def change_sound(self, how: str) -> None:
        """ "louder", "quieter", "slower" or "faster": the visit's voice settings, one step."""
        voice = self.voice
        settings = voice.settings if voice is not None else None
        if voice is None or settings is None:
            return
        changed = {
            "louder": settings.louder,
            "quieter": settings.quieter,
            "slower": settings.slower,
            "faster": settings.faster,
        }[how]()
        voice.update_settings(changed)

    def _on_pause_button_clicked(self) -> None:
        if self.engine.state is SessionState.RUNNING:
            self.driver.command(self.engine.pause)
        else:
            self.driver.command(self.engine.resume)

    def _on_next_button_clicked(self) -> None:
        self.driver.command(self.engine.next)

    def _on_stop_button_clicked(self) -> None:
        self._paused_for_stop = self.engine.state is SessionState.RUNNING
        if self._paused_for_stop:
            self.driver.command(self.engine.pause)
        self.stop_overlay.body.setText(t("stop.body"))
        self.stop_overlay.open()

    def _on_hurts_button_clicked(self) -> None:
        self.driver.command(self.engine.hurt)

    def _on_pain_overlay_resume_requested(self) -> None:
        self.driver.command(self.engine.resume)

    def _on_pain_overlay_end_requested(self) -> None:
        self.driver.command(self.engine.stop)

    def _on_pain_overlay_skip_requested(self) -> None:
        self.driver.command(self.engine.skip_exercise)

    def _on_pain_overlay_call_staff_requested(self) -> None:
        """The banner, a chime (or a flash), and an event on the staff board."""
        if self.pain_overlay.staff_called:
            return
        self.pain_overlay.show_staff_called()
        self._hold_idle(True)  # not logged out while waiting: staff come to this screen
        heard = self.voice is not None and self.voice.play_tone(Tone.CHIME)
        if not heard:
            self.tone_flash.flash(Tone.CHIME)
        if self.feedback is not None:
            pains = self.engine.pain_events
            where = pains[-1] if pains else None
            self.feedback.record(
                FeedbackKind.CALL_STAFF,
                "pressed",
                exercise_index=where.exercise_index if where else None,
                exercise_id=where.exercise_id if where else None,
                set_number=where.set_number if where else None,
                side=where.side if where else None,
                rep=where.rep if where else None,
            )

    def _hold_idle(self, on: bool) -> None:
        """Keep the idle logout away while a call for staff waits for them."""
        if on == self._holding_idle:
            return
        from kiosk.ui.runners.idle_watch import CALL_STAFF, hold_for

        self._holding_idle = on
        hold_for(self, CALL_STAFF, on)

    def _on_stop_overlay_keep_going_requested(self) -> None:
        self.stop_overlay.hide()
        if self._paused_for_stop:
            self._paused_for_stop = False
            self.driver.command(self.engine.resume)

    def _on_stop_overlay_end_requested(self) -> None:
        self.stop_overlay.hide()
        self.driver.command(self.engine.stop)

    # -- sound ------------------------------------------------------------------------------

    def _on_sound_button_clicked(self) -> None:
        voice = self.voice
        if voice is None or voice.settings is None or voice.defaults is None:
            return
        self.sound_panel.open_with(voice.settings, voice.defaults)

    def _on_sound_panel_settings_chosen(self, settings: object) -> None:
        from voice.settings import VoiceSettings

        if self.voice is not None and isinstance(settings, VoiceSettings):
            self.voice.update_settings(settings)

    def _on_voice_progress_changed(self, done: int, total: int) -> None:
        """Shown only while a session has started before all its cues were prepared."""
        preparing = total > 0 and done < total
        if preparing:
            percent = done * 100 // total
            self.voice_status.setText(t("player.voice_preparing", percent=percent))
        self.voice_status.setVisible(preparing)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for overlay in (self.pain_overlay, self.stop_overlay, self.sound_panel):
            overlay.setGeometry(self.rect())
        self.tone_flash.setGeometry(self.rect())
