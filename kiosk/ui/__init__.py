"""The kiosk's Qt user interface (see docs/ui.md)."""
