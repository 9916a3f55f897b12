"""Makes a tiny video clip for the clinic-video tests, with nothing but PySide6.

Frames are painted with QPainter (a yellow square crossing a dark panel, numbered) and fed
through ``QVideoFrameInput`` to a ``QMediaRecorder``, which encodes them with the FFmpeg that
ships inside PySide6-Addons: MPEG-4 Part 2 video in an MP4 file (the encoders bundled there;
H.264 and VP9 are decode-only). No system ffmpeg, no binary in the repository: the tests make
the clip in their temporary folder.

Usage: ``python tools/make_test_clip.py OUT.mp4 [--frames 20] [--fps 10] [--size 160x120]``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QLoggingCategory, QSize, QTimer, QUrl
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter

QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver.warning=false")

from PySide6.QtMultimedia import (  # noqa: E402
    QMediaCaptureSession,
    QMediaFormat,
    QMediaRecorder,
    QVideoFrame,
    QVideoFrameInput,
)

TIMEOUT_MS = 20_000


def _picture(n: int, frames: int, width: int, height: int) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("#1E252F"))
    painter = QPainter(image)
    side = height // 3
    x = int((width - side) * n / max(1, frames - 1))
    painter.fillRect(x, (height - side) // 2, side, side, QColor("#FFD43B"))
    font = QFont()
    font.setPixelSize(max(10, height // 8))
    painter.setFont(font)
    painter.setPen(QColor("#FFFFFF"))
    painter.drawText(4, height // 8 + 2, str(n + 1))
    painter.end()
    return image


def make_clip(
    out: Path, *, frames: int = 20, fps: int = 10, size: tuple[int, int] = (160, 120)
) -> Path:
    """Write a ``frames``-frame MP4 clip to ``out`` and return it; RuntimeError if it fails."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    width, height = size
    session = QMediaCaptureSession()
    source = QVideoFrameInput()
    session.setVideoFrameInput(source)
    recorder = QMediaRecorder()
    session.setRecorder(recorder)
    media_format = QMediaFormat(QMediaFormat.FileFormat.MPEG4)
    media_format.setVideoCodec(QMediaFormat.VideoCodec.MPEG4)
    recorder.setMediaFormat(media_format)
    recorder.setVideoResolution(QSize(width, height))
    recorder.setVideoFrameRate(fps)
    recorder.setOutputLocation(QUrl.fromLocalFile(str(out.resolve())))

    loop = QEventLoop()
    sent = 0
    errors: list[str] = []
    frame_us = 1_000_000 // fps

    def push() -> None:
        nonlocal sent
        while sent < frames:
            frame = QVideoFrame(_picture(sent, frames, width, height))
            frame.setStreamFrameRate(fps)
            frame.setStartTime(sent * frame_us)
            frame.setEndTime((sent + 1) * frame_us)
            if not source.sendVideoFrame(frame):
                return  # the encoder is busy: readyToSendVideoFrame calls again
            sent += 1
        recorder.stop()

    def on_state(state: QMediaRecorder.RecorderState) -> None:
        if state is QMediaRecorder.RecorderState.StoppedState and sent >= frames:
            loop.quit()

    def on_error(_error: QMediaRecorder.Error, message: str) -> None:
        errors.append(message)
        loop.quit()

    source.readyToSendVideoFrame.connect(push)
    recorder.recorderStateChanged.connect(on_state)
    recorder.errorOccurred.connect(on_error)
    recorder.record()
    QTimer.singleShot(0, push)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    loop.exec()
    del app
    if errors:
        raise RuntimeError(f"recording failed: {errors[0]}")
    if not out.is_file() or out.stat().st_size == 0:
        raise RuntimeError(f"no clip was written to {out}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--fps", type=int, default=10)
    parser.add_argument("--size", default="160x120")
    args = parser.parse_args(argv)
    width, height = (int(p) for p in args.size.split("x"))
    path = make_clip(args.out, frames=args.frames, fps=args.fps, size=(width, height))
    print(f"{path}: {args.frames} frames at {args.fps} fps, {width}x{height}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
