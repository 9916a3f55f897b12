"""Staff mode below the screens: login, patients, programs, imports, reports (Qt-free).

The staff screens (kiosk/ui) are built on these modules and on ``db.repositories``; the
API they use is listed in docs/staff.md.
"""
