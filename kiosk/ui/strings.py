"""Every word the kiosk shows a patient, in one place.

One catalog so the wording can be reviewed by the clinic (plain, kind, short sentences for
people who are older or in pain) and translated later without hunting through widgets.
Templates use ``str.format`` fields; keep them short enough to fit at 1280×800.
"""

from __future__ import annotations

from typing import Final

CLINIC_NAME: Final = "Clinic Gym"

# Attract screen
ATTRACT_WELCOME: Final = "Welcome to the"
ATTRACT_TOUCH: Final = "Touch to start"
ATTRACT_HINT: Final = "Your exercise coach will guide you step by step."
STARTING_UP: Final = "Getting ready…"

# Check-in keypad
CHECKIN_TITLE: Final = "Enter your check-in code"
CHECKIN_HINT: Final = "Type the number on your card, or scan it."
CHECKIN_CLEAR: Final = "Clear"
CHECKIN_BACKSPACE: Final = "⌫ Back"
CHECKIN_OK: Final = "OK"
CHECKIN_CANCEL: Final = "Cancel"
CHECKIN_NOT_FOUND: Final = (
    "Sorry, we could not find today's exercises for that code.\n"
    "Please try again, or ask a member of staff."
)
CHECKIN_UNAVAILABLE: Final = (
    "Sorry, the kiosk cannot check you in just now.\nPlease ask a member of staff."
)
CHECKIN_WAIT: Final = "One moment, please…"

# Today's program
PROGRAM_GREETING: Final = "Hello, {name}"
PROGRAM_TITLE: Final = "Today's exercises"
PROGRAM_TOTAL: Final = "{count} exercises · about {minutes} minutes"
PROGRAM_TOTAL_ONE: Final = "1 exercise · about {minutes} minutes"
PROGRAM_SIDE_SERIES: Final = "All exercises on one side, then all on the other side."
PROGRAM_START: Final = "Start  ▶"
PROGRAM_BACK: Final = "◀  Back"
CARD_MINUTES: Final = "about {minutes} min"


# Session player
PLAYER_GET_READY: Final = "Get ready"
PLAYER_STARTING: Final = "Starting in"
PLAYER_REP: Final = "Rep {rep} of {total}"
PLAYER_SET: Final = "Set {set} of {total}"
PLAYER_HOLD: Final = "Hold"
PLAYER_REST_HINT: Final = "Breathe and relax."
PLAYER_NEXT_UP: Final = "Next up: {what}"
PLAYER_SECONDS: Final = "seconds"
PLAYER_PAUSED: Final = "Paused"
PLAYER_PAUSE: Final = "❚❚  Pause"
PLAYER_RESUME: Final = "▶  Resume"
PLAYER_NEXT: Final = "Next  ▶▶"
PLAYER_STOP: Final = "■  Stop"
PLAYER_HURTS: Final = "It hurts"
PLAYER_DEMO: Final = "Demonstration"
SIDE_LEFT: Final = "◀  LEFT leg"
SIDE_RIGHT: Final = "RIGHT leg  ▶"
PLAYER_SOUND: Final = "♪  Sound"
PLAYER_VOICE_PREPARING: Final = "Preparing the voice… {percent}%"

# Sound settings (the player's Sound button)
SOUND_TITLE: Final = "Sound"
SOUND_VOICE: Final = "Voice"
SOUND_TONES: Final = "Tones only"
SOUND_OFF: Final = "Silent"
SOUND_SLOWER: Final = "◀  Slower"
SOUND_FASTER: Final = "Faster  ▶"
SOUND_SPEEDS: Final = {
    -2: "Speech: much slower",
    -1: "Speech: slower",
    0: "Speech: normal",
    1: "Speech: faster",
    2: "Speech: much faster",
}
SOUND_QUIETER: Final = "−  Quieter"
SOUND_LOUDER: Final = "Louder  +"
SOUND_VOLUME: Final = "Volume: {level} of 10"
SOUND_DONE: Final = "Done"

# Pain overlay
PAIN_TITLE: Final = "Stop and rest."
PAIN_BODY: Final = (
    "Don't push through pain.\n"
    "Sit down, or lie down comfortably, and breathe slowly.\n"
    "If the pain does not settle, please tell a member of staff."
)
PAIN_RESUME: Final = "Continue"
PAIN_END: Final = "End session"

# Stop confirmation
STOP_TITLE: Final = "End today's session?"
STOP_BODY: Final = "The sets you have finished are already saved."
STOP_KEEP_GOING: Final = "Keep going"
STOP_END: Final = "End session"

# Summary
SUMMARY_TITLE: Final = "Well done, {name}!"
SUMMARY_TITLE_STOPPED: Final = "Thank you, {name}."
SUMMARY_EXERCISES: Final = ("Exercise", "Exercises")
SUMMARY_SETS: Final = ("Set", "Sets")
SUMMARY_MINUTES: Final = ("Minute", "Minutes")
SUMMARY_SAVED: Final = "Your progress has been saved."
SUMMARY_DONE: Final = "Finish"


def plural(count: int, one: str, many: str) -> str:
    """The word for ``count`` things; kept here so translators see both forms."""
    return one if count == 1 else many
