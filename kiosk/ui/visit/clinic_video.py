"""Plays one of the clinic's own exercise videos: looped, muted, scaled to fit.

Imported only when a video file exists (QtMultimedia costs start-up time, and most kiosks may
never have a video). Frames go to a ``QVideoSink`` and are painted here, scaled to fit with
their aspect ratio kept, rather than through ``QVideoWidget``: the same path works on every
platform plugin, offscreen tests can count frames from the sink, and ``grab()`` (screenshots)
shows the picture. No audio output is attached, so the video is silent — the kiosk's voice is
the only sound.

Anything that goes wrong — a file that cannot be opened, a format the bundled FFmpeg cannot
decode, a file that never produces a picture within :data:`STALL_S` — is reported once through
``failed``; the caller falls back to the drawn demonstration. Nothing here raises into the
session.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLoggingCategory, QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.ui.timers import TimerFactory

# Optional hardware-acceleration libraries (VA-API, PipeWire) are looked up at import and their
# absence is logged as a warning by Qt; software decoding is what the kiosk uses anyway.
# Files that cannot be opened are reported by this module (once), not by Qt as well.
QLoggingCategory.setFilterRules(
    "qt.multimedia.symbolsresolver.warning=false\n"
    "qt.multimedia.ffmpeg.mediadataholder.warning=false"
)

from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame, QVideoSink  # noqa: E402

#: Seconds to wait for a first picture before giving up on a file.
STALL_S = 5.0


class QtClinicVideo(QWidget):
    """Loops one video file silently, fitted into the widget.

    Signals:
        failed(str): the video cannot be shown (why, in words); it has stopped.
        frame_shown(): a new picture arrived (tests count these).
    """

    failed = Signal(str)
    frame_shown = Signal()

    def __init__(
        self,
        path: Path,
        timers: TimerFactory,
        *,
        backdrop: str = "#1E252F",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ClinicVideo")
        self.path = path
        self.frames = 0
        self._image = QImage()
        self._backdrop = QColor(backdrop)
        self._done = False
        self.sink = QVideoSink(self)
        self.sink.videoFrameChanged.connect(self._on_sink_video_frame_changed)
        self.player = QMediaPlayer(self)
        self.player.setVideoSink(self.sink)
        self.player.setLoops(QMediaPlayer.Loops.Infinite)
        self.player.errorOccurred.connect(self._on_player_error_occurred)
        self.player.mediaStatusChanged.connect(self._on_player_media_status_changed)
        self._watchdog = timers.create(
            self, "clinic-video-watchdog", interval_ms=int(STALL_S * 1000), single_shot=True
        )
        self._watchdog.timeout.connect(self._on_watchdog_timeout)

    # -- control ---------------------------------------------------------------------------

    def play(self) -> None:
        """Start (or restart) the loop; a first picture is expected within STALL_S."""
        if self._done:
            return
        if self.player.source().isEmpty():
            self.player.setSource(QUrl.fromLocalFile(str(self.path)))
        if self.frames == 0:
            self._watchdog.start()
        self.player.play()

    def pause(self) -> None:
        if not self._done:
            self._watchdog.stop()
            self.player.pause()

    def stop(self) -> None:
        """Stop playing and release the file; safe to call twice."""
        self._watchdog.stop()
        self.player.stop()

    @property
    def is_playing(self) -> bool:
        return self.player.playbackState() is QMediaPlayer.PlaybackState.PlayingState

    # -- handlers ----------------------------------------------------------------------------

    def _fail(self, reason: str) -> None:
        if self._done:
            return
        self._done = True
        self.stop()
        self.failed.emit(reason)

    def _on_player_error_occurred(self, error: QMediaPlayer.Error, message: str) -> None:
        self._fail(message or error.name)

    def _on_player_media_status_changed(self, status: QMediaPlayer.MediaStatus) -> None:
        if status is QMediaPlayer.MediaStatus.InvalidMedia:
            self._fail("not a video the kiosk can play")

    def _on_watchdog_timeout(self) -> None:
        self._fail(f"no picture within {STALL_S:.0f} s")

    def _on_sink_video_frame_changed(self, frame: QVideoFrame) -> None:
        if not frame.isValid():
            return
        self._watchdog.stop()
        self._image = frame.toImage()
        self.frames += 1
        self.update()
        self.frame_shown.emit()

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._backdrop)
        if not self._image.isNull():
            size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = (self.width() - size.width()) / 2
            y = (self.height() - size.height()) / 2
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(QRectF(x, y, size.width(), size.height()), self._image)
        painter.end()

    def sizeHint(self) -> QSize:
        return QSize(640, 480)
