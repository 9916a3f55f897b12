"""Where the clinic's own exercise videos are, and which exercise has one. Qt-free.

A clinic films an exercise and drops the file into the video folder, named by the exercise id:
``clamshell.mp4`` or ``clamshell.webm``. The player then shows it (looped, muted, scaled to
fit) instead of the drawn demonstration; see ``docs/demonstrations.md``. The folder is the one
staff chose on the settings screen (``clinic_video_folder``) when there is one, else
``$KIOSK_VIDEO_DIR`` when set, else ``videos/`` in the kiosk's user data directory.

Looking up is cheap (two ``stat`` calls) and never imports QtMultimedia: the kiosk pays for
that only when a video actually exists.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

ENV_VAR = "KIOSK_VIDEO_DIR"
EXTENSIONS = (".mp4", ".webm")

_warned_folders: set[Path] = set()


def default_folder() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("clinic-gym-kiosk")) / "videos"


def video_folder(chosen: str = "") -> Path:
    """The folder staff ``chosen`` (the clinic setting), else ``$KIOSK_VIDEO_DIR``, else
    ``<user data dir>/clinic-gym-kiosk/videos``."""
    configured = chosen.strip() or os.environ.get(ENV_VAR, "").strip()
    return Path(configured).expanduser() if configured else default_folder()


def find_video(exercise_id: str, folder: Path | None = None) -> Path | None:
    """The clinic's video for ``exercise_id`` (``<id>.mp4`` first, then ``<id>.webm``), or None.

    A folder named in ``$KIOSK_VIDEO_DIR`` that does not exist is a set-up mistake: it is
    logged once (as a warning) and then treated as empty. Whether a file that exists can be
    played is for the player to find out (and to fall back from).
    """
    if folder is None:
        folder = video_folder()
        explicit = bool(os.environ.get(ENV_VAR, "").strip())
    else:
        explicit = True
    if not folder.is_dir():
        if explicit and folder not in _warned_folders:
            _warned_folders.add(folder)
            log.warning("video folder %s does not exist; showing the drawn demonstrations", folder)
        return None
    for extension in EXTENSIONS:
        for name in (f"{exercise_id}{extension}", f"{exercise_id}{extension.upper()}"):
            path = folder / name
            if path.is_file():
                return path
    return None
