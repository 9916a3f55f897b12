"""Where the repository is, for tests that run the kiosk as a child process or read its files."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
