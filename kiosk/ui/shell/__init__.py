"""The kiosk's one window and what keeps it running all day: start-up, the screen stack,
idle logout, check-in lockout, the clinic settings, the screen kept awake."""
