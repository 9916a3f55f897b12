"""Running the real kiosk in a child process, for what one process cannot show about itself:
which modules are loaded at the first frame, the cursor, the log lines of a whole start.

The script runs from the repository root, offscreen and without a sound device, with
``sys.argv[1]`` the URL of a new SQLite database in the test's tmp_path.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.paths import REPO_ROOT


def run_kiosk_script(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script``; the test fails (showing the end of its stderr) if it does not exit 0."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SDL_AUDIODRIVER="dummy")
    child = subprocess.run(
        [sys.executable, "-c", script, f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"],
        capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert child.returncode == 0, child.stderr[-800:]
    return child
