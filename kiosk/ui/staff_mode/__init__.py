"""Staff mode on screen: the corner hold, the PIN pad, the staff home and its tabs.

Nothing here is imported before the corner is held (``kiosk.ui.shell.window`` imports it lazily),
so the attract screen's first frame never waits for it. The data and rules below these
screens are ``kiosk.staff`` and ``db.repositories`` (see docs/staff.md).
"""
