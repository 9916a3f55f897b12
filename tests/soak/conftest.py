"""The soak's smoke test lives the clinic's day in the clinic's time zone (UTC): carrying a
session on is offered the same local day only."""

from tests.ui.visit.conftest import utc

__all__ = ["utc"]
