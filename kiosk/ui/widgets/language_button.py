"""The "Español" / "English" button: a patient's language for this visit, one tap.

It names the language it switches *to*, in that language ("Español" on an English screen,
"English" on a Spanish one), because someone who cannot read the screen's language can still
recognise their own. No flags: a flag names a country, not a language, and many countries
speak Spanish. With more than two languages the button goes round them in order.

Language names are the languages' own (``NAME`` in each ``kiosk/text`` module), not catalog
texts: they read the same whatever language the screen is in.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk import text
from kiosk.ui.theme import Theme


def patient_languages() -> tuple[str, ...]:
    """The languages a patient may choose: every catalog but the test language."""
    return tuple(code for code in text.available() if code != text.PSEUDO)


def next_language(code: str) -> str | None:
    """The language the button offers after ``code`` (None: there is only one). From the
    test language it offers the first real language after English, as from English."""
    choices = patient_languages()
    if len(choices) < 2:
        return None
    here = choices.index(code) if code in choices else 0
    return choices[(here + 1) % len(choices)]


class QtLanguageButton(QPushButton):
    """Offers the next language by its own name; hidden when there is only one.

    Signals:
        language_requested(str): the patient wants this language (its code, "es").
    """

    language_requested = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # As make_button does: the theme's look, and no focus (a scanner's keys go to the window).
        self.setProperty("role", "toggle")
        self.setObjectName("LanguageButton")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoDefault(False)
        self.setMinimumHeight(theme.metrics.touch)
        self._offer: str | None = None
        self.clicked.connect(self._on_self_clicked)
        self.refresh()

    @property
    def offer(self) -> str | None:
        """The code of the language a tap asks for."""
        return self._offer

    def refresh(self) -> None:
        """Offer the language after the kiosk's current one (after a switch)."""
        self._offer = next_language(text.current().code)
        if self._offer is None:
            self.hide()  # one language only: nothing to offer
            return
        self.setText(text.language(self._offer).name)
        if self.parentWidget() is not None and self.isHidden():
            self.show()  # (never shown while it has no parent: it would open as a window)

    def _on_self_clicked(self) -> None:
        if self._offer is not None:
            self.language_requested.emit(self._offer)
