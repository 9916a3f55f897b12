"""Program items: a per-item tempo (seconds per phase), set in the staff builder.

Revision ID: 0004
Revises: 0003
Create Date: 2026-03-02

Written by hand to match :mod:`db.models` (a test compares the two). ``program_items.tempo``
holds the seconds of each of the exercise's tempo phases in the library's order, as
comma-separated decimals ("2,1.5,2"); NULL keeps the library's tempo, so every existing item
keeps running exactly as before. A short text rather than JSON: it is a flat list of numbers,
and it reads plainly in a database browser. Batch mode because SQLite cannot drop a column in
place on every version the kiosk may meet (the downgrade).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("program_items") as batch:
        batch.add_column(sa.Column("tempo", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("program_items") as batch:
        batch.drop_column("tempo")
