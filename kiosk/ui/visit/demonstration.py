"""The player's demonstration area: the animated coach, or the clinic's own video.

:class:`QtDemonstration` takes each step from the player (``show_step``) and the engine's
position on the player's existing refresh (``refresh``), so the figure moves exactly in step
with the phases and tempo the voice announces, and freezes when the session pauses — there is
no timer of its own. Which pose goes with which moment is :class:`DemoDirector`'s business.

If the clinic has put a video for the exercise in the video folder (:mod:`media.videos`), it
plays instead, looped and muted. A file that cannot be played falls back to the animation with
one warning in the log (per file, per run of the kiosk); the session never waits for a video.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.core.demo_director import DemoDirector, DemoFrame
from kiosk.core.prescription import Prescription
from kiosk.core.timeline import Step, StepKind
from kiosk.ui.theme import Palette, Theme
from kiosk.ui.timers import TimerFactory, factory
from media.demo.renderer import paint_frame, prepare_frame, render_thumbnail
from media.demo.scene import DemoPalette, Frame, build_frame, changed_area, prepare
from media.videos import find_video

if TYPE_CHECKING:
    from kiosk.ui.visit.clinic_video import QtClinicVideo

log = logging.getLogger(__name__)

#: Videos that failed this run: not tried (nor warned about) again.
_failed_videos: set[Path] = set()


def demo_palette(palette: Palette) -> DemoPalette:
    """The demonstration's colours from the kiosk theme's."""
    return DemoPalette(
        backdrop=palette.surface,
        floor=palette.secondary,
        floor_line=palette.surface_border,
        outline=palette.background,
        left=palette.left,
        right=palette.right,
        both=palette.primary,
        ball=palette.ring_rest,
        band=palette.ring_rest,
        pillow=palette.notice,
    )


@functools.lru_cache(maxsize=64)
def _thumbnail(exercise_id: str, width: int, height: int, palette: Palette) -> QPixmap:
    image = render_thumbnail(exercise_id, (width, height), palette=demo_palette(palette))
    return QPixmap.fromImage(image)


def thumbnail_pixmap(exercise_id: str, size: QSize, theme: Theme) -> QPixmap | None:
    """A program card's still of the exercise (cached); None if it has no demonstration."""
    try:
        return _thumbnail(exercise_id, size.width(), size.height(), theme.palette)
    except KeyError:
        return None


class QtDemonstration(QWidget):
    """Shows the current exercise: the drawn coach, or the clinic's video for it.

    Signals:
        video_failed(str): a clinic video could not be shown; the animation took over.
    """

    video_failed = Signal(str)

    def __init__(
        self,
        theme: Theme,
        timers: TimerFactory | None = None,
        parent: QWidget | None = None,
        *,
        video_folder: Path | None = None,
    ) -> None:
        """``video_folder``: where the clinic's videos are (staff chose it; None: the
        default, :func:`media.videos.video_folder`)."""
        super().__init__(parent)
        self._video_folder = video_folder
        self.setObjectName("Demonstration")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.theme = theme
        self._timers = timers or factory()
        self._palette = demo_palette(theme.palette)
        self.director = DemoDirector()
        self.frame: DemoFrame | None = None
        self._laid_out: Frame | None = None  # the frame last laid out, for what changed
        self.video: QtClinicVideo | None = None
        self._video_exercise: str | None = None
        self._paused = False

    # -- the player's calls ----------------------------------------------------------------

    def show_step(self, step: Step, prescription: Prescription | None) -> None:
        """A step began: pick the exercise's video or demonstration, and its side."""
        self.director.show_step(step, prescription)
        self._prepare()
        if step.kind is StepKind.DONE or step.exercise_id is None:
            self._close_video()
        elif step.exercise_id != self._video_exercise:
            self._close_video()
            self._open_video(step.exercise_id)

    def _prepare(self) -> None:
        """Work out the scene's framing and paint what does not move, before the first frame
        (cached: a step of the same scene costs nothing here)."""
        demo = self.director.demo
        if demo is None:
            return
        prepare(demo)
        if self.width() > 0 and self.height() > 0:
            side = self.director.side if demo.sided else None
            w, h = self.width(), self.height()
            prepare_frame(build_frame(demo, demo.start, w, h, side=side, palette=self._palette))

    def refresh(self, position_s: float) -> None:
        """The engine's position moved (the player's refresh): move the figure with it."""
        if self.video is not None:
            return
        self.frame = self.director.frame_at(position_s)
        before, after = self._laid_out, self._lay_out()
        self._laid_out = after
        area = changed_area(before, after) if after is not None else None
        if area is None:
            self.update()
        elif area[2] > area[0] and area[3] > area[1]:
            # Only where something moved: the rest of the picture is already on the screen.
            self.update(QRect(area[0], area[1], area[2] - area[0], area[3] - area[1]))

    def _lay_out(self) -> Frame | None:
        frame = self.frame
        if frame is None or self.width() <= 0 or self.height() <= 0:
            return None
        return build_frame(
            frame.demo,
            frame.pose,
            self.width(),
            self.height(),
            side=frame.side,
            cycle=frame.cycle,
            palette=self._palette,
        )

    def set_paused(self, paused: bool) -> None:
        """Freeze a clinic video with the session (the figure freezes by itself)."""
        self._paused = paused
        if self.video is not None:
            if paused:
                self.video.pause()
            else:
                self.video.play()

    def shutdown(self) -> None:
        """Stop any video and its watchdog (the player is leaving)."""
        self._close_video()

    @property
    def showing_video(self) -> bool:
        return self.video is not None

    # -- clinic videos -----------------------------------------------------------------------

    def _open_video(self, exercise_id: str) -> None:
        self._video_exercise = exercise_id
        path = find_video(exercise_id, self._video_folder)
        if path is None or path in _failed_videos:
            return
        try:
            from kiosk.ui.visit.clinic_video import QtClinicVideo
        except ImportError as error:  # a kiosk without QtMultimedia's libraries
            self._on_video_failed(path, f"QtMultimedia is not available ({error})")
            return
        video = QtClinicVideo(path, self._timers, backdrop=self._palette.backdrop, parent=self)
        video.setGeometry(self.rect())
        video.failed.connect(self._on_video_video_failed)
        self.video = video
        video.show()
        if not self._paused:
            video.play()

    def _close_video(self) -> None:
        video, self.video = self.video, None
        self._video_exercise = None
        if video is not None:
            video.stop()
            video.hide()
            video.deleteLater()

    def _on_video_video_failed(self, reason: str) -> None:
        video = self.video
        if video is None:
            return
        exercise = self._video_exercise
        self._close_video()
        self._video_exercise = exercise  # do not retry it for the rest of this exercise
        self._on_video_failed(video.path, reason)

    def _on_video_failed(self, path: Path, reason: str) -> None:
        if path not in _failed_videos:
            _failed_videos.add(path)
            log.warning("clinic video %s cannot be shown (%s); showing the animation", path, reason)
        self.video_failed.emit(reason)
        self.update()

    # -- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            frame = self.frame
            if frame is None:
                painter.fillRect(self.rect(), QColor(self._palette.backdrop))
                return
            laid_out = self._laid_out
            if laid_out is None or (laid_out.width, laid_out.height) != (
                self.width(),
                self.height(),
            ):
                laid_out = self._laid_out = self._lay_out()
            if laid_out is not None:
                paint_frame(painter, laid_out)  # clipped to the region Qt asks for
        finally:
            painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.video is not None:
            self.video.setGeometry(self.rect())

    def sizeHint(self) -> QSize:
        m = self.theme.metrics
        return QSize(m.px(560), m.px(420))

    def minimumSizeHint(self) -> QSize:
        m = self.theme.metrics
        return QSize(m.px(240), m.px(180))
