"""The WAV cache: every utterance rendered once, kept on disk, shared by processes and kiosks.

Keyed by backend, voice, rate and text (and a format version), so a change of any of them
renders afresh and nothing stale is ever played. Safe against two processes (or two kiosks on a
shared directory) writing the same entry at once: each writes a temporary file of its own in
the cache directory, checks it, and moves it into place with ``os.replace``, which is atomic;
a reader sees the old complete file or the new complete file, never half of one. Bounded: when
the total passes ``max_bytes`` the least recently used entries (by modification time, which a
hit refreshes) are removed down to 80 %; a file another process removed meanwhile is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from voice.wav import Pcm, check_speech, trim, write_wav

log = logging.getLogger(__name__)

#: Bump when what is stored changes (trimming, format): old entries are then never matched.
FORMAT_VERSION = 1
PRUNE_TO = 0.8
#: A temporary file older than this was left by a writer that died: remove it when pruning.
ORPHAN_AGE_S = 3600.0


def cache_key(backend: str, voice: str | None, rate: int, text: str) -> str:
    material = "\0".join((f"v{FORMAT_VERSION}", backend, voice or "default", str(rate), text))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:40]


class WavCache:
    """A directory of rendered utterances, ``<root>/<2 hex>/<key>.wav``."""

    def __init__(self, root: Path, *, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._approx_bytes: int | None = None

    def path_for(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.wav"

    def get(self, key: str) -> Path | None:
        """The entry's file if it is there (its use is recorded for the size bound)."""
        path = self.path_for(key)
        try:
            os.utime(path)
        except FileNotFoundError:
            return None
        except OSError:  # a read-only shared cache still serves what it has
            return path if path.exists() else None
        return path

    def put(self, key: str, render: Callable[[Path], None]) -> Path:
        """Render into a temporary file, check and trim it, then move it into place.

        ``render(path)`` writes a WAV; a :class:`~voice.wav.WavError` (empty, silent,
        unreadable) or the renderer's own exception propagates and nothing is stored.
        """
        final = self.path_for(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        raw = final.parent / f".{key}.{os.getpid()}.{uuid.uuid4().hex[:8]}.raw.wav"
        tmp = raw.with_name(raw.name.replace(".raw.wav", ".tmp.wav"))
        try:
            render(raw)
            pcm: Pcm = trim(check_speech(raw))
            write_wav(tmp, pcm)
            os.replace(tmp, final)
        finally:
            for leftover in (raw, tmp):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
        self._grew(final)
        return final

    def _grew(self, path: Path) -> None:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            return
        if self._approx_bytes is None:
            self._approx_bytes = self.total_bytes()
        else:
            self._approx_bytes += size
        if self._approx_bytes > self.max_bytes:
            self.prune()

    def _entries(self, *, remove_orphans: bool = False) -> list[tuple[float, int, Path]]:
        entries: list[tuple[float, int, Path]] = []
        if not self.root.is_dir():
            return entries
        now = time.time()
        for folder in self.root.iterdir():
            if not folder.is_dir():
                continue
            for path in folder.glob("*.wav"):
                try:
                    stat = path.stat()
                except FileNotFoundError:
                    continue
                if path.name.startswith("."):  # another writer's temporary file
                    if remove_orphans and now - stat.st_mtime > ORPHAN_AGE_S:
                        with contextlib.suppress(FileNotFoundError):
                            path.unlink()
                    continue
                entries.append((stat.st_mtime, stat.st_size, path))
        return entries

    def total_bytes(self) -> int:
        return sum(size for _, size, _ in self._entries())

    def prune(self) -> int:
        """Remove least recently used entries until the cache is at 80 % of its bound."""
        entries = sorted(self._entries(remove_orphans=True))
        total = sum(size for _, size, _ in entries)
        target = int(self.max_bytes * PRUNE_TO)
        removed = 0
        for _, size, path in entries:
            if total <= target:
                break
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
            total -= size
        self._approx_bytes = total
        if removed:
            log.info("voice cache: removed %d old entries to stay under %d bytes",
                     removed, self.max_bytes)  # fmt: skip
        return removed
