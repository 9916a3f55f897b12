"""A patient's preferred language.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

Written by hand to match :mod:`db.models` (a test compares the two). ``patients.language``
holds the language a patient chose at the kiosk (the "Español" / "English" button) or staff
set for them, e.g. ``es``; NULL, as for every patient before this revision, means the
clinic's own language. The downgrade drops the column: patients then check in in the clinic's
language again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("language", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.drop_column("language")
