"""Every word the staff screens show, in one place (the patients' words are in
``kiosk.ui.strings``).

Staff read these on the same touchscreen, standing: short, plain, and specific about what
happened ("Saved card-482913.pdf", not "Done"). Templates use ``str.format`` fields.
"""

from __future__ import annotations

from typing import Final

# Entry: the PIN pad
PIN_TITLE: Final = "Staff PIN"
PIN_HINT: Final = "Type your staff PIN (6 or more digits), then OK."
PIN_CHECKING: Final = "Checking…"
PIN_WRONG: Final = "That PIN is not right. Please try again."
PIN_WAIT: Final = "Too many wrong PINs. You can try again in {seconds} s."
PIN_TOO_SHORT: Final = "A staff PIN has at least {digits} digits."
PIN_NO_STAFF: Final = (
    "No staff member has been set up on this kiosk yet.\n"
    "On the kiosk's computer, open a terminal and run:\n"
    "    kiosk staff add NAME\n"
    "It asks for a new PIN twice. Then come back here."
)
PIN_UNAVAILABLE: Final = "Staff mode is not available: the database could not be opened."
PIN_ERROR: Final = "The PIN could not be checked. Please try again, or restart the kiosk."
PIN_CANCEL: Final = "◀  Back"
PIN_OK: Final = "OK"
PIN_CLEAR: Final = "Clear"
PIN_BACKSPACE: Final = "⌫ Back"

# Staff home
HOME_TITLE: Final = "Staff mode"
HOME_WHO: Final = "Signed in: {name}"
HOME_LOCK: Final = "Lock"
HOME_QUIT: Final = "Quit kiosk"
TAB_TODAY: Final = "Today"
TAB_IMPORT: Final = "Load today's\nprograms"
TAB_PATIENTS: Final = "Patients"
TAB_PROGRAMS: Final = "Programs"
TAB_PROGRESS: Final = "Progress"
TAB_SETTINGS: Final = "Settings"
QUIT_TITLE: Final = "Quit the kiosk?"
QUIT_BODY: Final = "Patients cannot check in until the kiosk is started again."
QUIT_CONFIRM: Final = "Quit kiosk"
CANCEL: Final = "Cancel"
DONE: Final = "Done"
OK: Final = "OK"

# Common
DEFAULT_MARK: Final = "{value} (library)"
SAVED_FILE: Final = "Saved {name}."
CANNOT_SAVE: Final = "Could not save {name}: {reason}"
SAVE_TITLE: Final = "Save as…"
OPEN_TITLE: Final = "Choose a file"
FOLDER_TITLE: Final = "Choose a folder"
DAY_BACK: Final = "◀"
DAY_FORWARD: Final = "▶"

# Keyboard
KEY_SPACE: Final = "Space"
KEY_BACKSPACE: Final = "⌫"
KEY_SHIFT: Final = "⇧"

# Today board
TODAY_TITLE: Final = "Today, {day}"
TODAY_COUNTS: Final = (
    "Scheduled {scheduled} · Checked in {checked_in} · In progress {in_progress} · "
    "Done {done} · Stopped {stopped}"
)
TODAY_UPDATED: Final = "Updated {time}. Refreshes every few seconds."
TODAY_EMPTY: Final = "Nobody has a program today. Load today's programs or assign one."
TODAY_HEADERS: Final = ("Code", "Name", "Program", "Status", "Alerts", "Last seen")
TODAY_HURT: Final = "It hurts"
TODAY_CALLED: Final = "Called staff"
STATUS_WORDS: Final = {
    "scheduled": "Scheduled",
    "checked in": "Checked in",
    "in progress": "In progress",
    "done": "Done",
    "stopped": "Stopped",
}

# Load today's programs
IMPORT_TITLE: Final = "Load today's programs"
IMPORT_HINT: Final = (
    "Choose a CSV or JSON schedule, e.g. on a USB stick. Nothing is written until Import."
)
IMPORT_CHOOSE: Final = "Choose file…"
IMPORT_IMPORT: Final = "Import"
IMPORT_OK_SUMMARY: Final = (
    "{file}: {rows} rows, {programs} programs for {patients} patients. Ready."
)
IMPORT_BAD_SUMMARY: Final = (
    "{file}: {count} problem(s). Nothing can be imported until they are fixed."
)
IMPORT_EMPTY: Final = "{file}: no rows to import."
IMPORT_DONE: Final = "Imported: {written} program(s) written, {unchanged} already in place."
IMPORT_NOTHING_NEW: Final = "Nothing new: all {unchanged} program(s) were already in place."
IMPORT_FAILED: Final = "Nothing was imported: {reason}"
IMPORT_PROBLEM_HEADERS: Final = ("Line", "Field", "Problem")
IMPORT_ROW_HEADERS: Final = ("Line", "Day", "Patient", "Exercise and dose")
IMPORT_FILE_FILTER: Final = "Schedules (*.csv *.json *.CSV *.JSON);;All files (*)"

# Patients
PATIENTS_SEARCH: Final = "Search: {text}"
PATIENTS_SEARCH_EMPTY: Final = "Search name or code…"
PATIENTS_SEARCH_TITLE: Final = "Search patients (name or code)"
PATIENTS_SHOW_INACTIVE: Final = "Show deactivated too"
PATIENTS_ADD: Final = "+  Add patient"
PATIENTS_ADD_TITLE: Final = "New patient: initials or a first name"
PATIENTS_RENAME: Final = "Rename"
PATIENTS_RENAME_TITLE: Final = "New name for {name}: initials or a first name"
PATIENTS_NEW_CODE: Final = "New code"
PATIENTS_DEACTIVATE: Final = "Deactivate"
PATIENTS_REACTIVATE: Final = "Reactivate"
PATIENTS_CARD: Final = "Card (PDF)…"
PATIENTS_PROGRAM: Final = "Assign program…"
PATIENTS_NONE: Final = "No patients match."
PATIENTS_PICK: Final = "Choose a patient on the left."
PATIENTS_CODE: Final = "Check-in code"
PATIENTS_INACTIVE: Final = "Deactivated: their code does not work at the kiosk."
PATIENTS_ACTIVE: Final = "Active"
PATIENTS_ROW: Final = "{name}  ·  {code}"
PATIENTS_ROW_INACTIVE: Final = "{name}  ·  {code}  (deactivated)"
PATIENTS_ADDED_TITLE: Final = "{name}'s check-in code"
PATIENTS_ADDED_BODY: Final = "Give {name} this code, or save a card with it."
PATIENTS_RECODED_TITLE: Final = "{name}'s new check-in code"
PATIENTS_RECODED_BODY: Final = "The old code {old} no longer works."
PATIENTS_RECODE_CONFIRM_TITLE: Final = "Give {name} a new code?"
PATIENTS_RECODE_CONFIRM_BODY: Final = (
    "The old code {old} stops working for good; any card with it must be replaced."
)
PATIENTS_DEACTIVATE_TITLE: Final = "Deactivate {name}?"
PATIENTS_DEACTIVATE_BODY: Final = (
    "Their code stops working at the kiosk. Their history is kept, and they can be "
    "reactivated later."
)
PATIENTS_RENAMED: Final = "Renamed to {name}."
PATIENTS_DEACTIVATED: Final = "{name} is deactivated."
PATIENTS_REACTIVATED: Final = "{name} is active again."
PATIENTS_CARD_NAME: Final = "card-{code}.pdf"

# Programs (builder, templates, assignment)
PROGRAMS_NAME: Final = "Name: {name}"
PROGRAMS_NAME_TITLE: Final = "Program name"
PROGRAMS_SIDE_SERIES: Final = "Side series"
PROGRAMS_NEW: Final = "New"
PROGRAMS_TEMPLATES: Final = "Templates…"
PROGRAMS_ADD: Final = "+  Add exercise"
PROGRAMS_SAVE_TEMPLATE: Final = "Save as template"
PROGRAMS_ASSIGN: Final = "Assign to patient…"
PROGRAMS_EMPTY: Final = "No exercises yet. Press “Add exercise”."
PROGRAMS_PICK_ITEM: Final = "Choose an exercise in the program to set its dose."
PROGRAMS_UP: Final = "▲ Up"
PROGRAMS_DOWN: Final = "▼ Down"
PROGRAMS_REMOVE: Final = "✕ Remove"
PROGRAMS_PROGRESS: Final = "Harder ▲"
PROGRAMS_REGRESS: Final = "Easier ▼"
PROGRAMS_RESET: Final = "Library dose"
PROGRAMS_NOTES: Final = "Note: {notes}"
PROGRAMS_NOTES_EMPTY: Final = "Add a note for the patient"
PROGRAMS_NOTES_TITLE: Final = "A note for the patient (shown on the handout)"
PROGRAMS_VARIATION: Final = "Version: {name}"
PROGRAMS_BASE_VERSION: Final = "Version: the exercise as in the library"
PROGRAMS_SETS: Final = "Sets"
PROGRAMS_REPS: Final = "Reps"
PROGRAMS_HOLD: Final = "Hold (s)"
PROGRAMS_REP_HOLD: Final = "Hold at top (s)"
PROGRAMS_REST: Final = "Rest (s)"
PROGRAMS_SIDES: Final = "Sides"
PROGRAMS_TEMPO: Final = "Tempo of each rep (seconds)"
PROGRAMS_TEMPO_PHASE: Final = "{word} {seconds} s"
SIDES_WORDS: Final = {"alternate": "Alternate", "each": "Each side", "none": "No sides"}
SIDES_SHORT: Final = {"alternate": "alternating", "each": "each side", "none": ""}
PROGRAMS_SHORT_REPS: Final = "{sets} × {reps} reps"
PROGRAMS_SHORT_HOLD: Final = "{sets} × {hold} s hold"
PROGRAMS_ITEM: Final = "{number}. {name}"
PROGRAMS_SAVED_TEMPLATE: Final = "Saved the template “{name}”."
PROGRAMS_LOADED: Final = "Opened “{name}”. Changes make a new program; the template stays."
PROGRAMS_ASSIGNED: Final = "Assigned “{program}” to {name}: {span}."
PROGRAMS_LIBRARY_TITLE: Final = "Add exercises"
PROGRAMS_LIBRARY_ALL: Final = "All positions"
PROGRAMS_LIBRARY_ANY: Final = "Any equipment"
PROGRAMS_LIBRARY_NONE_EQUIPMENT: Final = "No equipment"
PROGRAMS_LIBRARY_ADD: Final = "+ Add"
PROGRAMS_LIBRARY_ADDED: Final = "Added {name}."
PROGRAMS_LIBRARY_EMPTY: Final = "No exercise matches these filters."
PROGRAMS_TEMPLATES_TITLE: Final = "Templates"
PROGRAMS_TEMPLATE_OPEN: Final = "Open"
PROGRAMS_TEMPLATE_ROW: Final = "{name}  ·  {count} exercise(s)"
PROGRAMS_ASSIGN_TITLE: Final = "Assign “{program}”"
PROGRAMS_ASSIGN_PATIENT: Final = "Patient"
PROGRAMS_ASSIGN_START: Final = "Starts"
PROGRAMS_ASSIGN_WEEKS: Final = "For"
PROGRAMS_ASSIGN_OPEN_ENDED: Final = "open-ended"
PROGRAMS_ASSIGN_WEEKS_N: Final = ("1 week", "{weeks} weeks")
PROGRAMS_ASSIGN_UNTIL: Final = "Last day: {end}"
PROGRAMS_ASSIGN_NO_END: Final = "No last day: until another program replaces it"
PROGRAMS_ASSIGN_DAYS: Final = "On"
PROGRAMS_ASSIGN_DO: Final = "Assign"
PROGRAMS_ASSIGN_NO_PATIENT: Final = "Choose a patient first."
PROGRAMS_ASSIGN_NO_DAYS: Final = "Choose at least one weekday."
PROGRAMS_ASSIGNMENTS: Final = "Current programs:"
WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Progress
PROGRESS_PATIENT: Final = "Patient"
PROGRESS_DAY: Final = "Clinic day"
PROGRESS_DAYS: Final = ((7, "7 days"), (30, "30 days"), (90, "90 days"))
PROGRESS_PERIOD: Final = "{start} to {end}"
PROGRESS_ADHERENCE: Final = "Adherence: {done} of {prescribed} prescribed days done ({percent})"
PROGRESS_ADHERENCE_NONE: Final = "Adherence: no prescribed days in this period"
PROGRESS_SESSIONS: Final = "Sessions finished: {finished} ({extra} on days without a program)"
PROGRESS_CHART_TITLE: Final = "Pain (0–10) before and after each session"
PROGRESS_BEFORE: Final = "Before"
PROGRESS_AFTER: Final = "After"
PROGRESS_NO_PAIN: Final = "No pain ratings in this period."
PROGRESS_DIFFICULTY: Final = "Difficulty ratings"
PROGRESS_NO_DIFFICULTY: Final = "No difficulty ratings in this period."
PROGRESS_PAIN_EVENTS: Final = "“It hurts” presses"
PROGRESS_NO_PAIN_EVENTS: Final = "No “It hurts” presses in this period."
PROGRESS_PAIN_EVENT_ROW: Final = "{when} · {exercise}{where}"
PROGRESS_ASSESSMENTS: Final = "Balance checks (single-leg stance)"
PROGRESS_NO_ASSESSMENTS: Final = "No balance checks in this period."
PROGRESS_ASSESSMENT_ROW: Final = "{when} · {side} leg: held {held} of {target} s · {noticed}"
PROGRESS_ASSESSMENT_NOTICED: Final = "noticed: {what}"
PROGRESS_ASSESSMENT_NOTHING: Final = "noticed nothing"
PROGRESS_ASSESSMENT_UNANSWERED: Final = "({count} not answered)"
PROGRESS_EXPORT: Final = "Export CSV…"
PROGRESS_HANDOUT: Final = "Handout (PDF)…"
PROGRESS_NO_PROGRAM: Final = "{name} has no program today: no handout to print."
PROGRESS_DAY_HEADERS: Final = (
    "Patient",
    "Program",
    "Sessions",
    "Sets",
    "“It hurts”",
    "Pain",
    "Done",
)
PROGRESS_PAIN_SPAN: Final = "{before} → {after}"
PROGRESS_DAY_TOTALS: Final = (
    "{scheduled} scheduled · {done} done ({percent}) · {sessions} sessions · "
    "{sets} sets · {pains} “It hurts”"
)
PROGRESS_DAY_EMPTY: Final = "No programs or sessions on this day."
PROGRESS_REPORT_NAME: Final = "report-{start}-to-{end}{who}.csv"
PROGRESS_HANDOUT_NAME: Final = "handout-{code}.pdf"
PROGRESS_EXPORTED: Final = "Saved {rows} row(s) to {name}."
PROGRESS_HANDOUT_SAVED: Final = "Saved the handout ({pages} page(s)) to {name}."

# Settings
SETTINGS_SAVE: Final = "Save settings"
SETTINGS_UNDO: Final = "Undo changes"
SETTINGS_SAVED: Final = "Settings saved."
SETTINGS_UNCHANGED: Final = "Nothing changed."
SETTINGS_REFUSED: Final = "Not saved: {reason}"
SETTINGS_CLINIC_NAME: Final = "Clinic name"
SETTINGS_PATIENT_IDLE: Final = "Ask patients “Still there?” after (s)"
SETTINGS_PATIENT_RESPOND: Final = "…then back to the start after (s)"
SETTINGS_LOCKOUT_FAILURES: Final = "Wrong codes before check-in pauses"
SETTINGS_LOCKOUT_WINDOW: Final = "…counted over (s)"
SETTINGS_LOCKOUT_PAUSE: Final = "Check-in pauses for (s)"
SETTINGS_STAFF_IDLE: Final = "Staff mode locks after (s)"
SETTINGS_FREE_FAILURES: Final = "Wrong PINs before waiting"
SETTINGS_BACKOFF_BASE: Final = "First wait (s)"
SETTINGS_BACKOFF_MAX: Final = "Longest wait (s)"
SETTINGS_VOICE: Final = "Voice"
SETTINGS_VOICE_ON: Final = "Voice on"
SETTINGS_VOICE_OFF: Final = "Voice off"
SETTINGS_VOLUME: Final = "Volume (%)"
SETTINGS_RATE: Final = "Speech rate (words per minute)"
SETTINGS_VOICE_NAME: Final = "Voice name"
SETTINGS_VOICE_NAME_DEFAULT: Final = "(the default voice)"
SETTINGS_VIDEO_FOLDER: Final = "Clinic video folder"
SETTINGS_VIDEO_NONE: Final = "(none)"
SETTINGS_VIDEO_CHOOSE: Final = "Choose…"
SETTINGS_VIDEO_CLEAR: Final = "Clear"
SETTINGS_SECTION_CLINIC: Final = "Clinic"
SETTINGS_SECTION_CHECKIN: Final = "Wrong check-in codes"
SETTINGS_SECTION_SECURITY: Final = "Staff PIN and time-outs"
SETTINGS_SECTION_VOICE: Final = "Voice defaults"
SETTINGS_SECTION_VIDEO: Final = "Videos"
