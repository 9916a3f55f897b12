"""Loads and validates the exercise library (placeholder until the library lands)."""
