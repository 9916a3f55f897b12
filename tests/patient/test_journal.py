"""The journal on real files: kept line by line, readable only by the kiosk, a torn line
skipped, a second place when the first will not take a line, emptied once all is saved."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kiosk.patient.journal import Journal, journal_paths, legacy_unsaved_path


def test_records_are_kept_in_order_and_read_back_once_each(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "kiosk.pending.jsonl", tmp_path / "memory" / "pending.jsonl")
    assert journal.append({"uid": "a", "n": 1}) == journal.primary
    assert journal.append({"uid": "b", "n": 2}) == journal.primary
    assert journal.read() == [{"uid": "a", "n": 1}, {"uid": "b", "n": 2}]
    assert stat.S_IMODE(journal.primary.stat().st_mode) == 0o600  # clinical records


def test_a_line_torn_by_a_power_cut_is_skipped_and_the_rest_kept(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "kiosk.pending.jsonl")
    journal.append({"uid": "a"})
    journal.append({"uid": "b"})
    with journal.primary.open("a") as handle:
        handle.write('{"uid": "c", "n"')  # the write a power cut stopped half-way
    assert [e["uid"] for e in journal.read()] == ["a", "b"]


def test_when_the_first_place_will_not_take_a_line_the_second_does(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the journal's folder should be")
    journal = Journal(blocked / "kiosk.pending.jsonl", tmp_path / "memory" / "pending.jsonl")
    assert journal.append({"uid": "a"}) == journal.fallback
    assert journal.read() == [{"uid": "a"}]


def test_when_no_place_takes_a_line_the_caller_is_told(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    journal = Journal(blocked / "a.jsonl", blocked / "b.jsonl")
    assert journal.append({"uid": "a"}) is None


def test_a_record_in_both_places_is_read_once(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "p.jsonl", tmp_path / "f.jsonl")
    journal.append({"uid": "a"})
    assert journal.fallback is not None
    journal.fallback.write_text('{"uid": "a"}\n{"uid": "b"}\n')
    assert [e["uid"] for e in journal.read()] == ["a", "b"]


def test_rewrite_keeps_exactly_what_still_waits_and_empties_when_nothing_does(
    tmp_path: Path,
) -> None:
    journal = Journal(tmp_path / "p.jsonl", tmp_path / "f.jsonl")
    for uid in "abc":
        journal.append({"uid": uid})
    assert journal.fallback is not None
    journal.fallback.write_text('{"uid": "d"}\n')
    assert journal.rewrite([{"uid": "c"}, {"uid": "d"}])
    assert [e["uid"] for e in journal.read()] == ["c", "d"]
    assert not journal.fallback.exists()
    assert stat.S_IMODE(journal.primary.stat().st_mode) == 0o600
    assert journal.rewrite([])
    assert not journal.primary.exists()
    assert journal.read() == []


def test_the_journal_sits_beside_a_sqlite_file_and_its_second_place_is_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KIOSK_JOURNAL_DIR", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    primary, fallback = journal_paths("sqlite:////var/kiosk/kiosk.sqlite3", data_dir=tmp_path)
    assert primary == Path("/var/kiosk/kiosk.pending.jsonl")
    assert fallback is not None
    assert fallback.parent == tmp_path / "clinic-gym-kiosk"
    _, other_fallback = journal_paths("sqlite:////srv/other.sqlite3", data_dir=tmp_path)
    assert other_fallback != fallback  # two databases never share a journal
    server, _ = journal_paths("postgresql://kiosk@db/clinic", data_dir=tmp_path)
    assert server == tmp_path / "pending.jsonl"
    monkeypatch.setenv("KIOSK_JOURNAL_DIR", str(tmp_path / "usb"))
    _, chosen = journal_paths("sqlite:////var/kiosk/kiosk.sqlite3", data_dir=tmp_path)
    assert chosen is not None
    assert chosen.parent == tmp_path / "usb"


def test_an_earlier_versions_unsaved_file_is_found_where_it_wrote_it(tmp_path: Path) -> None:
    primary, _ = journal_paths(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", data_dir=tmp_path)
    assert legacy_unsaved_path(primary) == tmp_path / "kiosk.unsaved.jsonl"
    server, _ = journal_paths("postgresql://kiosk@db/clinic", data_dir=tmp_path)
    assert legacy_unsaved_path(server) == tmp_path / "unsaved.jsonl"
