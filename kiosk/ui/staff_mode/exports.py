"""Writing a PDF to a file staff chose, with a clear error when it cannot be written.

``QPdfWriter`` does not raise when its file cannot be opened (a read-only USB stick, a folder
that went away): it warns and writes nothing. So the file is opened here first, and checked
after: staff always learn whether the card or handout is really there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from kiosk.text import t

Content = TypeVar("Content")


def write_pdf(path: Path, content: Content, render: Callable[[Content, Path], int]) -> int:
    """``render(content, path)``, after checking ``path`` can be written; returns the pages.

    Raises ``OSError`` if the file cannot be written or ends up empty.
    """
    existed = path.exists()
    with path.open("ab"):
        pass  # raises OSError (permission, no such folder, read-only medium) before Qt tries
    pages = render(content, path)
    try:
        with path.open("rb") as written:
            ok = written.read(5) == b"%PDF-"
    except OSError:
        ok = False
    if not ok:
        if not existed:
            path.unlink(missing_ok=True)
        raise OSError(t("staff.cannot.save_empty", path=path))  # shown to staff as the reason
    return pages
