"""``kiosk demo``: one frame to a PNG; unknown ids and phases are usage errors (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from kiosk.cli import main


@pytest.fixture(autouse=True)
def app(qapp: QApplication) -> QApplication:
    return qapp


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_it_renders_one_frame(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "clam.png"
    args = ("demo", "clamshell", "--out", str(out), "--phase", "raise", "--side", "right")
    code, text, _ = run(capsys, *args, "--size", "400x300")
    assert code == 0
    assert "clamshell" in text
    image = QImage(str(out))
    assert (image.width(), image.height()) == (400, 300)


def test_defaults_give_the_key_pose(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "sub" / "wall.png"
    code, _, _ = run(capsys, "demo", "standing-wall-press", "--out", str(out))
    assert code == 0
    assert QImage(str(out)).width() == 800


def test_an_unknown_id_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "demo", "clamshel", "--out", str(tmp_path / "x.png"))
    assert code == 2
    assert "no exercise with id 'clamshel'" in err
    assert "clamshell" in err  # the known ids are listed
    assert not (tmp_path / "x.png").exists()


def test_an_unknown_phase_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ("demo", "clamshell", "--phase", "hold", "--out", str(tmp_path / "x.png"))
    code, _, err = run(capsys, *args)
    assert code == 2
    assert "has no phase 'hold'" in err
    assert "start, raise, lower" in err
