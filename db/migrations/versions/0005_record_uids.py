"""Record uids: each session and each thing logged in it can be written exactly once.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

Written by hand to match :mod:`db.models` (a test compares the two). The kiosk writes a
session's records from a queue, and keeps what the database has not taken yet in a journal it
replays after a restart (``kiosk/patient/writer.py``); a record may therefore reach the
database twice (a commit whose answer was lost, a replay after a crash). Each record carries a
uid made when it happened, and a unique index on it turns the second write into nothing.
Nullable: rows written before this revision have none, and need none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("sessions", "set_records", "pain_events", "feedback_events", "assessment_results")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("uid", sa.String(32), nullable=True))
        op.create_index(op.f(f"ix_{table}_uid"), table, ["uid"], unique=True)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_uid"), table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("uid")
