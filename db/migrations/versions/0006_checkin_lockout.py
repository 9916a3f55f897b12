"""Check-in lockout: the wrong-code count and the pauses, shared by every kiosk.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

Written by hand to match :mod:`db.models` (a test compares the two). Until now each kiosk
counted wrong check-in codes in its own memory: a restart forgot them and two kiosks on one
server counted alone (``kiosk/core/lockout.py``, ``docs/security.md``). The one row of
``checkin_lockout`` is made by the first kiosk that needs it (with a random key), so a
database restored or emptied without it simply starts counting again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tz() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "checkin_lockout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hex", sa.String(64), nullable=False),
        sa.Column("paused_at", _tz(), nullable=True),
        sa.Column("paused_until", _tz(), nullable=True),
        sa.Column("pauses", sa.Integer(), nullable=False),
        sa.Column("paused_after", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_checkin_lockout_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_lockout")),
    )
    op.create_table(
        "checkin_wrong_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", _tz(), nullable=False),
        sa.Column("fingerprint", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_wrong_codes")),
    )
    op.create_index(op.f("ix_checkin_wrong_codes_at"), "checkin_wrong_codes", ["at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_checkin_wrong_codes_at"), table_name="checkin_wrong_codes")
    op.drop_table("checkin_wrong_codes")
    op.drop_table("checkin_lockout")
