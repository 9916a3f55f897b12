"""Assessment results: the single-leg stance check, one row per side.

Revision ID: 0003
Revises: 0002
Create Date: 2026-03-02

Written by hand to match :mod:`db.models` (a test compares the two), every constraint and
index named as the metadata's naming convention names them. Only a new table: no existing
table is altered, so no batch copy is needed on SQLite (a later change to ``sessions`` or
``feedback_events`` must use ``op.batch_alter_table``, as 0002 does). The side's CHECK lists
the values as they are at this revision.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "assessment_results"


def upgrade() -> None:
    op.create_table(
        _TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("assessment_id", sa.String(64), nullable=False),
        sa.Column("side", sa.String(16), nullable=True),
        sa.Column("held_s", sa.Float(), nullable=True),
        sa.Column("target_s", sa.Float(), nullable=True),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{_TABLE}")),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f(f"fk_{_TABLE}_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f(f"fk_{_TABLE}_session_id_sessions")
        ),
        sa.CheckConstraint("side IN ('left', 'right')", name=op.f(f"ck_{_TABLE}_side")),
    )
    op.create_index(op.f(f"ix_{_TABLE}_patient_id_at"), _TABLE, ["patient_id", "at"])


def downgrade() -> None:
    op.drop_index(op.f(f"ix_{_TABLE}_patient_id_at"), table_name=_TABLE)
    op.drop_table(_TABLE)
