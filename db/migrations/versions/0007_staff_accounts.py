"""Staff accounts: an index on the audit log by kind of action and time.

Revision ID: 0007
Revises: 0006
Create Date: 2027-01-10

Written by hand to match :mod:`db.models` (a test compares the two). Staff sign-in's lock
counts wrong PINs within a day and the audit viewer pages a year of entries by kind and
period, newest first; both ask for one action (or a few) over a span of time, which the index
on ``at`` alone answers only by reading every entry of the span. No data changes: the lock,
unlocks and each staff member's last visit are entries of the audit log already.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_audit_log_action_at"), "audit_log", ["action", "at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_log_action_at"), table_name="audit_log")
