"""Where staff may open and save files: mounted removable media and the export folder, never
the kiosk's own folders. Qt-free; the staff file dialog (``kiosk/ui/staff_mode/files.py``) asks
:meth:`FilePlaces.refusal` before it lets a file be opened or saved.

Issue 13: the dialog reached the whole filesystem, and its Save could overwrite any file the
kiosk's user may write, the database among them. Now a path is accepted only inside

- a mounted removable medium (:func:`removable_mounts`: a mount point under ``/media`` or
  ``/run/media``, where udisks and usbmount put USB sticks, or any mount of a block device
  whose disk says it is removable in ``/sys/block/<disk>/removable``), or
- the export folder (``$KIOSK_EXPORT_DIR``, else ``~/kiosk-exports``; made 0700 when the
  dialog first needs it),

and never in a private place, even inside one of those: the database's own folder (the
database, its ``-wal``/``-shm``, its journal; the folder itself and the files directly in
it), the kiosk user's home folder likewise (``~/.pgpass``, the password of a kiosk on
PostgreSQL), and the kiosk's data directory (everything under it: the journal of a server's
kiosk, the voice cache). A folder directly in the first two (the export folder, beside the
database in an installed kiosk's home) is as good as the places it lies in. Paths are
compared after symbolic links are followed, so a link on a stick that points at the database
is refused like the database.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

EXPORT_DIR_ENV = "KIOSK_EXPORT_DIR"
#: The export folder's name in the kiosk user's home when ``$KIOSK_EXPORT_DIR`` is not set.
DEFAULT_EXPORT_NAME = "kiosk-exports"
#: Where desktops (udisks: ``/media/<user>/<label>``, ``/run/media/<user>/<label>``) and
#: usbmount-style tools (``/media/<label>``) mount a USB stick.
REMOVABLE_ROOTS = (Path("/media"), Path("/run/media"))
MOUNTS_FILE = Path("/proc/self/mounts")
SYS_BLOCK = Path("/sys/block")


class Refusal(enum.Enum):
    """Why a path may not be opened or saved."""

    #: Not on removable media nor in the export folder.
    OUTSIDE = "outside"
    #: In the database's folder or the kiosk's data directory.
    PRIVATE = "private"


def default_export_folder() -> Path:
    """``$KIOSK_EXPORT_DIR``, else ``~/kiosk-exports``."""
    configured = os.environ.get(EXPORT_DIR_ENV, "").strip()
    return Path(configured).expanduser() if configured else Path.home() / DEFAULT_EXPORT_NAME


def _unescape(field: str) -> str:
    r"""A field of ``/proc/self/mounts``: space, tab, newline and backslash are written as
    octal escapes (``\040``)."""
    out: list[str] = []
    i = 0
    while i < len(field):
        code = field[i + 1 : i + 4]
        if field[i] == "\\" and len(code) == 3 and all(c in "01234567" for c in code):
            out.append(chr(int(code, 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def _disk_is_removable(device: str, sys_block: Path) -> bool:
    """Whether ``/dev/sdb1`` (say) is on a disk whose ``removable`` flag is 1."""
    if not device.startswith("/dev/"):
        return False
    name = Path(os.path.realpath(device)).name if Path(device).exists() else Path(device).name
    disk = name
    if not (sys_block / disk).is_dir():
        # A partition: the disk is the block device whose folder holds the partition's.
        parents = [d.name for d in _children(sys_block) if (d / name).is_dir()]
        if not parents:
            return False
        disk = parents[0]
    try:
        return (sys_block / disk / "removable").read_text().strip() == "1"
    except OSError:
        return False


def _children(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def _under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def removable_mounts(
    mounts_file: Path = MOUNTS_FILE,
    sys_block: Path = SYS_BLOCK,
    roots: Iterable[Path] = REMOVABLE_ROOTS,
) -> tuple[Path, ...]:
    """The mount points of removable media now mounted, in the order they were mounted.

    Read from ``mounts_file`` (the kernel's own list): a mount point under one of ``roots``
    counts, and so does any mount of a disk flagged removable in ``sys_block``. An unreadable
    list is no media (the dialog then offers the export folder alone).
    """
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ()
    roots = tuple(roots)
    found: dict[Path, None] = {}
    for line in lines:
        fields = line.split()
        if len(fields) < 2:
            continue
        device, mount_point = _unescape(fields[0]), Path(_unescape(fields[1]))
        in_a_root = any(mount_point != root and _under(mount_point, root) for root in roots)
        if in_a_root or _disk_is_removable(device, sys_block):
            found[mount_point] = None
    return tuple(found)


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path))


@dataclass(frozen=True)
class FilePlaces:
    """The places staff may use now, and the kiosk's own, which they may not.

    ``private_folders``: folders refused with everything under them; ``private_files_in``:
    folders refused with the files directly in them (the database's folder, which in an
    installed kiosk is also the kiosk user's home and so holds the export folder).
    """

    removable: tuple[Path, ...]
    export_folder: Path
    private_folders: tuple[Path, ...] = ()
    private_files_in: tuple[Path, ...] = ()
    #: Single files of the kiosk's kept elsewhere (the journal's second copy, which
    #: ``$KIOSK_JOURNAL_DIR`` may put on a stick).
    private_files: tuple[Path, ...] = ()

    @classmethod
    def for_kiosk(
        cls,
        *,
        database_file: Path | None,
        data_dir: Path,
        export_folder: Path | None = None,
        removable: tuple[Path, ...] | None = None,
        private_files: tuple[Path, ...] = (),
    ) -> FilePlaces:
        """The places of a kiosk whose database is ``database_file`` (None: on a server); the
        files directly in the kiosk user's home (``~/.pgpass``) are private too."""
        return cls(
            removable=removable_mounts() if removable is None else removable,
            export_folder=export_folder or default_export_folder(),
            private_folders=(data_dir,),
            private_files_in=tuple(
                dict.fromkeys(
                    [*([database_file.parent] if database_file is not None else []), Path.home()]
                )
            ),
            private_files=private_files,
        )

    @property
    def roots(self) -> tuple[Path, ...]:
        """Where the dialog may go: each stick, then the export folder."""
        return (*self.removable, self.export_folder)

    def refusal(self, path: Path) -> Refusal | None:
        """Why ``path`` (a file to open or save, or a folder) may not be used, or None."""
        real = _resolved(path)
        if real in map(_resolved, self.private_files):
            return Refusal.PRIVATE
        for folder in map(_resolved, self.private_folders):
            if _under(real, folder):
                return Refusal.PRIVATE
        for folder in map(_resolved, self.private_files_in):
            # The folder, and any file in it (a folder in it, such as the export folder, is
            # as good as the places it lies in).
            if real == folder or (real.parent == folder and not real.is_dir()):
                return Refusal.PRIVATE
        if not any(_under(real, _resolved(root)) for root in self.roots):
            return Refusal.OUTSIDE
        return None

    def make_export_folder(self) -> None:
        """Make the export folder (0700, the kiosk's user alone) if it is not there; a folder
        that exists is left as it is."""
        self.export_folder.mkdir(mode=0o700, parents=True, exist_ok=True)
