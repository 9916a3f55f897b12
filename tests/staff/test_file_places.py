"""Where staff may open and save files (``kiosk.staff.file_places``): removable media found in a
mounts list (a fake ``/proc/self/mounts`` and ``/sys/block`` written here: the edge of the
world), the export folder, and never the kiosk's own folders, on real files and links."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kiosk.staff.file_places import (
    EXPORT_DIR_ENV,
    FilePlaces,
    Refusal,
    default_export_folder,
    removable_mounts,
)

MOUNTS = """\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
/dev/nvme0n1p1 /boot/efi vfat rw,relatime 0 0
tmpfs /run tmpfs rw,nosuid,nodev,size=1600000k,mode=755 0 0
/dev/sdb1 /media/clinic-kiosk/GYM\\040STICK vfat rw,nosuid,nodev,relatime 0 0
/dev/sdc1 /run/media/anna/PHOTOS exfat rw,nosuid,nodev,relatime 0 0
/dev/sdd1 /mnt/card vfat rw,relatime 0 0
/dev/sde /mnt/whole-disk ext4 rw,relatime 0 0
/dev/sda1 /srv/backups ext4 rw,relatime 0 0
tmpfs /media tmpfs rw,relatime 0 0
"""


def fake_sys_block(root: Path, disks: dict[str, tuple[bool, list[str]]]) -> Path:
    """``/sys/block/<disk>/removable`` and a folder per partition, as the kernel lays them."""
    for disk, (removable, partitions) in disks.items():
        (root / disk).mkdir(parents=True)
        (root / disk / "removable").write_text("1\n" if removable else "0\n")
        for partition in partitions:
            (root / disk / partition).mkdir()
    return root


def test_removable_media_are_found_by_where_they_are_mounted_or_by_their_disk(
    tmp_path: Path,
) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(MOUNTS)
    sys_block = fake_sys_block(
        tmp_path / "sys-block",
        {
            "nvme0n1": (False, ["nvme0n1p1", "nvme0n1p2"]),
            "sda": (False, ["sda1"]),
            "sdd": (True, ["sdd1"]),  # a card reader mounted by hand under /mnt
            "sde": (True, []),  # a stick formatted without a partition table
        },
    )
    assert removable_mounts(mounts, sys_block) == (
        Path("/media/clinic-kiosk/GYM STICK"),  # \040 is a space
        Path("/run/media/anna/PHOTOS"),
        Path("/mnt/card"),
        Path("/mnt/whole-disk"),
    )  # not /, /boot/efi, /srv/backups (fixed disks), nor /media itself


def test_no_mounts_list_means_no_removable_media(tmp_path: Path) -> None:
    assert removable_mounts(tmp_path / "no-such-file", tmp_path) == ()


@pytest.fixture
def kiosk(tmp_path: Path) -> tuple[FilePlaces, Path, Path, Path]:
    """A kiosk laid out as installed: its home holds the database and the export folder."""
    home = tmp_path / "var-lib-clinic-kiosk"
    data_dir = home / ".local" / "share" / "clinic-gym-kiosk"
    data_dir.mkdir(parents=True)
    database = home / "kiosk.sqlite3"
    database.write_bytes(b"SQLite format 3\0")
    stick = tmp_path / "media" / "STICK"
    stick.mkdir(parents=True)
    places = FilePlaces.for_kiosk(
        database_file=database,
        data_dir=data_dir,
        export_folder=home / "kiosk-exports",
        removable=(stick,),
    )
    return places, database, data_dir, stick


def test_a_stick_and_the_export_folder_are_allowed(
    kiosk: tuple[FilePlaces, Path, Path, Path],
) -> None:
    places, database, _, stick = kiosk
    assert places.roots == (stick, database.parent / "kiosk-exports")
    assert places.refusal(stick / "today.csv") is None
    assert places.refusal(stick / "a folder" / "deeper" / "card.pdf") is None
    assert places.refusal(stick) is None
    places.make_export_folder()
    assert places.refusal(database.parent / "kiosk-exports") is None  # beside the database
    assert places.refusal(database.parent / "kiosk-exports" / "report.csv") is None


def test_the_database_and_its_folder_are_refused(
    kiosk: tuple[FilePlaces, Path, Path, Path],
) -> None:
    places, database, data_dir, _ = kiosk
    home = database.parent
    for path in (
        database,
        home / "kiosk.sqlite3-wal",
        home / "kiosk.pending.jsonl",
        home / ".pgpass",
        home,
        data_dir,
        data_dir / "pending.jsonl",
        data_dir / "voice" / "cache" / "a.wav",
    ):
        assert places.refusal(path) is Refusal.PRIVATE, path


def test_a_link_on_the_stick_to_the_database_is_refused_like_the_database(
    kiosk: tuple[FilePlaces, Path, Path, Path],
) -> None:
    places, database, _, stick = kiosk
    (stick / "innocent.csv").symlink_to(database)
    (stick / "kiosk-home").symlink_to(database.parent, target_is_directory=True)
    assert places.refusal(stick / "innocent.csv") is Refusal.PRIVATE
    assert places.refusal(stick / "kiosk-home" / "kiosk.sqlite3") is Refusal.PRIVATE
    assert places.refusal(stick / ".." / ".." / "var-lib-clinic-kiosk" / "kiosk.sqlite3") is (
        Refusal.PRIVATE
    )


def test_anywhere_else_is_outside(kiosk: tuple[FilePlaces, Path, Path, Path]) -> None:
    places, database, _, stick = kiosk
    for path in (
        Path("/etc/passwd"),
        Path("/"),
        stick.parent,  # /media itself
        stick.parent / "OTHER" / "x.csv",
        database.parent / ".config" / "clinic-gym-kiosk" / "kiosk.toml",
        stick / ".." / "escape.csv",
    ):
        assert places.refusal(path) is Refusal.OUTSIDE, path


def test_on_a_server_the_data_directory_and_the_pgpass_file_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "var-lib-clinic-kiosk"
    monkeypatch.setenv("HOME", str(home))
    data_dir = home / ".local" / "share" / "clinic-gym-kiosk"
    places = FilePlaces.for_kiosk(
        database_file=None, data_dir=data_dir, export_folder=home, removable=()
    )  # an export folder set, by mistake, to the home folder itself
    assert places.refusal(home / "kiosk-exports" / "a.csv") is None
    assert places.refusal(data_dir / "pending.jsonl") is Refusal.PRIVATE
    assert places.refusal(home / ".pgpass") is Refusal.PRIVATE
    assert places.refusal(home / "a.csv") is Refusal.PRIVATE


def test_an_export_folder_inside_the_kiosks_data_is_refused_too(tmp_path: Path) -> None:
    """A mistaken $KIOSK_EXPORT_DIR does not open the kiosk's own files to the dialog."""
    data_dir = tmp_path / "data"
    places = FilePlaces.for_kiosk(
        database_file=data_dir / "kiosk.sqlite3",
        data_dir=data_dir,
        export_folder=data_dir,
        removable=(),
    )
    assert places.refusal(data_dir / "kiosk.sqlite3") is Refusal.PRIVATE
    assert places.refusal(data_dir / "report.csv") is Refusal.PRIVATE


def test_the_export_folder_is_made_for_the_kiosks_user_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(EXPORT_DIR_ENV, str(tmp_path / "exports"))
    assert default_export_folder() == tmp_path / "exports"
    places = FilePlaces.for_kiosk(database_file=None, data_dir=tmp_path / "data", removable=())
    old = os.umask(0o022)
    try:
        places.make_export_folder()
        places.make_export_folder()  # there already: left as it is
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "exports").stat().st_mode) == 0o700
    monkeypatch.delenv(EXPORT_DIR_ENV)
    assert default_export_folder() == Path.home() / "kiosk-exports"


def test_the_journal_kept_on_a_stick_is_private(tmp_path: Path) -> None:
    """``$KIOSK_JOURNAL_DIR`` may put the journal's second copy on a stick: that file is
    refused, the rest of the stick is not."""
    stick = tmp_path / "media" / "STICK"
    journal = stick / "pending-0123456789abcdef.jsonl"
    places = FilePlaces.for_kiosk(
        database_file=None,
        data_dir=tmp_path / "data",
        export_folder=tmp_path / "exports",
        removable=(stick,),
        private_files=(journal,),
    )
    assert places.refusal(journal) is Refusal.PRIVATE
    assert places.refusal(stick / "today.csv") is None
