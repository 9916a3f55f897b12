"""The patient's side of the kiosk, below the screens and without Qt.

- :mod:`~kiosk.patient.checkin`: a code → the patient and today's program, compiled.
- :mod:`~kiosk.patient.session`: a session ready to run, logged set by set as it runs
  (:mod:`~kiosk.patient.session_log`), with the patient's answers (:mod:`~kiosk.patient.feedback`).
- :mod:`~kiosk.patient.carry_on`: an interrupted session offered back.
- :mod:`~kiosk.patient.balance`: the single-leg stance check as an ordinary timeline.
- :mod:`~kiosk.patient.services`: all of that over one database and library, for the screens.

Nothing here is imported before the kiosk's first frame: each module imports SQLAlchemy (via
``db``) and the compiler at its top, and the window loads them after it has painted.
"""
