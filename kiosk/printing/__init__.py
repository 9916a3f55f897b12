"""Printable PDFs for patients: the home-exercise handout and the check-in card (Qt: QPdfWriter).

Qt is imported here on purpose and nowhere below the screens: the data these pages show comes
from ``db`` and ``kiosk.staff``, which stay Qt-free.
"""
