"""Record which English texts a library translation was written from.

    python tools/library_fingerprints.py es

writes ``media/library/es/FINGERPRINTS``: a short digest of every translatable English text.
``tests/media/test_translations.py`` compares it with the English as it is now and lists the
texts changed since, so their translations are looked at again. Run this after updating them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from media.loader import DEFAULT_ROOT, library_languages, load_library
from media.translations import FINGERPRINTS, fingerprints


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("language", choices=library_languages()[1:])
    args = parser.parse_args(argv)
    load_library(language=args.language)  # the translation must load before it is stamped
    path = DEFAULT_ROOT / args.language / FINGERPRINTS
    path.write_text(fingerprints(load_library()), encoding="utf-8")
    print(f"wrote {path.relative_to(DEFAULT_ROOT.parent.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
