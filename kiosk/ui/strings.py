"""Every word the kiosk shows a patient, in one place.

One catalog so the wording can be reviewed by the clinic (plain, kind, short sentences for
people who are older or in pain) and translated later without hunting through widgets.
Templates use ``str.format`` fields; keep them short enough to fit at 1280×800.
"""

from __future__ import annotations

from typing import Final

CLINIC_NAME: Final = "Clinic Gym"

# Attract screen
ATTRACT_WELCOME: Final = "Welcome to"
ATTRACT_TOUCH: Final = "Touch to start"
ATTRACT_HINT: Final = "Your exercise coach will guide you step by step."
ATTRACT_FACT_TITLE: Final = "Did you know?"
STARTING_UP: Final = "Getting ready…"

# "Still there?" (after a quiet spell on any patient screen)
IDLE_TITLE: Final = "Still there?"
IDLE_BODY: Final = "For your privacy, this screen will\ngo back to the start in"
IDLE_SECONDS: Final = "seconds"
IDLE_SECONDS_ONE: Final = "second"
IDLE_STILL_HERE: Final = "I'm still here"

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
CHECKIN_PAUSED: Final = (
    "Check-in is taking a short break.\n"
    "Please try again when the countdown ends, or ask a member of staff."
)
CHECKIN_PAUSED_COUNT: Final = "{seconds} s"

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
    "If the pain does not settle, call a member of staff."
)
PAIN_RESUME: Final = "Pain gone: continue"
PAIN_END: Final = "End the session"
PAIN_SKIP: Final = "Skip this exercise"
PAIN_CALL_STAFF: Final = "Call staff"
PAIN_STAFF_CALLED: Final = "✓  Staff called"
# The banner after "Call staff": read across the room, by the patient and by staff.
CALL_STAFF_BANNER: Final = "Help is on the way"
CALL_STAFF_DETAIL: Final = "A member of staff has been called."

# Stop confirmation
STOP_TITLE: Final = "End today's session?"
STOP_BODY: Final = "The sets you have finished are already saved."
STOP_KEEP_GOING: Final = "Keep going"
STOP_END: Final = "End session"

# Summary
SUMMARY_TITLE: Final = "Well done, {name}!"
SUMMARY_TITLE_STOPPED: Final = "Thank you, {name}"  # no full stop: "J.K." ends in one
SUMMARY_EXERCISES: Final = ("Exercise", "Exercises")
SUMMARY_SETS: Final = ("Set", "Sets")
SUMMARY_MINUTES: Final = ("Minute", "Minutes")
SUMMARY_SAVED: Final = "Your progress has been saved."
SUMMARY_DONE: Final = "Finish"
SUMMARY_BALANCE: Final = "Balance check"

# Before the session (today's program): a welcome, safety, pain, display choices
WELCOME_SAFETY: Final = "Stop at once if anything hurts."  # if the library has no such note
WELCOME_SAFETY_MARK: Final = "⚠"
PAIN_BEFORE_QUESTION: Final = "How much pain do you have right now?"
PAIN_OPTIONAL: Final = "You can skip this."
PAIN_AFTER_QUESTION: Final = "How much pain do you have now?"
PAIN_SCALE_LOW: Final = "0 = no pain"
PAIN_SCALE_HIGH: Final = "10 = worst pain"
PAIN_SCALE_CHOSEN: Final = "✓  You chose {value}. Thank you."
DISPLAY_VOICE: Final = "Voice"
DISPLAY_LARGE_TEXT: Final = "Large text"
DISPLAY_HIGH_CONTRAST: Final = "High contrast"
DISPLAY_ON: Final = "{label}: on"
DISPLAY_OFF: Final = "{label}: off"
PROGRAM_BALANCE: Final = "Balance check"

# After each exercise, and after the session
RATING_QUESTION: Final = "How was {exercise}?"
RATING_CHOICES: Final = (("easy", "Too easy"), ("just right", "Just right"), ("hard", "Too hard"))
RATING_THANKS: Final = "✓  {choice}. Thank you."
AFTER_TITLE: Final = "Before you go, {name}:"
AFTER_SKIP: Final = "Skip"
AFTER_NEXT: Final = "Next  ▶"
GOODBYE_TITLE: Final = "Goodbye, {name}!"
GOODBYE_BODY: Final = "Thank you for exercising today. See you next time."

# Carrying on an interrupted session (after check-in)
RESUME_TITLE: Final = "Welcome back, {name}"  # no full stop: names like "J.K." end in one
RESUME_QUESTION: Final = "Continue with {exercise}, set {set}?"
RESUME_QUESTION_SIDE: Final = "Continue with {exercise}, set {set}, {side} leg?"
RESUME_DETAIL: Final = "What you did earlier is saved: you will not do it again."
RESUME_CONTINUE: Final = "Continue  ▶"
RESUME_START_AGAIN: Final = "Start again"
SIDE_WORDS: Final = {"left": "left", "right": "right"}

# The balance check (the single-leg stance)
BALANCE_INTRO_TITLE: Final = "How to do it"
BALANCE_START: Final = "Start  ▶"
BALANCE_BACK: Final = "◀  Back"
BALANCE_FOOT_DOWN: Final = "I put my foot down"
BALANCE_STOP: Final = "■  Stop"
BALANCE_ON_LEG: Final = "Standing on your {side} leg"
BALANCE_QUESTION_TITLE: Final = "{side} leg: did you notice any of these?"
BALANCE_QUESTION_HINT: Final = "Tap Yes or No for each. Skip any you are not sure about."
BALANCE_YES: Final = "Yes"
BALANCE_NO: Final = "No"
BALANCE_NEXT: Final = "Next  ▶"
BALANCE_SAVE: Final = "Save  ▶"
BALANCE_SAVED_TITLE: Final = "Thank you"
BALANCE_SAVED_BODY: Final = "Your balance check is saved for your physiotherapist."
BALANCE_NOT_SAVED: Final = "Sorry, it could not be saved. Please tell a member of staff."
BALANCE_HELD: Final = "{side} leg: {seconds} of {target} seconds"
BALANCE_DONE: Final = "Done"


def plural(count: int, one: str, many: str) -> str:
    """The word for ``count`` things; kept here so translators see both forms."""
    return one if count == 1 else many
