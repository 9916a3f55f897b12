"""Staff's words for a clinic setting the database layer refuses.

``db.repositories.settings`` keeps the rules (types, bounds) and raises
:class:`~db.repositories.settings.SettingsError` with the rule broken and its fields; the
sentence staff read comes from here, in the kiosk's language, so ``db`` needs no catalog keys
of its own (the catalog's checks look for keys in ``kiosk/``). Qt-free and importing only
:mod:`kiosk.text`, so ``db`` may import it without pulling in anything else of ours (in
particular not staff mode, which loads only when the corner is held).
"""

from __future__ import annotations

from typing import Final

from kiosk.text import t

#: Each rule a clinic setting can break, and the catalog text saying so. Fields: ``name``
#: (the setting, which the settings screen replaces with its label), ``value`` (the refused
#: value, as ``repr``), and ``low``/``high``/``max``/``other``/``choices`` as each text needs.
SETTING_RULES: Final = {
    "unknown": "problem.setting.unknown",
    "not_bool": "problem.setting.not_bool",
    "not_text": "problem.setting.not_text",
    "length": "problem.setting.length",
    "not_a_number": "problem.setting.not_a_number",
    "not_whole": "problem.setting.not_whole",
    "range": "problem.setting.range",
    "lockout_range": "problem.setting.lockout_range",
    "choice": "problem.setting.choice",
    "below": "problem.setting.below",
    "staff_idle_cap": "problem.setting.staff_idle_cap",
}


def setting_problem(rule: str, /, **fields: object) -> str:
    """The sentence for a setting that breaks ``rule`` (a key of :data:`SETTING_RULES`)."""
    return t(SETTING_RULES[rule], **fields)
