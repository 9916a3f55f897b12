"""The kiosk's screens, one small module each, in the order a patient meets them."""
