"""Touch widgets any screen may use: the screen and overlay bases, the keypad, the countdown
ring, the wrapping row. Nothing here knows about a patient, a session or staff mode."""
