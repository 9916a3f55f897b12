"""Erasure: a retired check-in code may belong to nobody.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

Written by hand to match :mod:`db.models` (a test compares the two). An erased patient's row
goes (:mod:`db.repositories.erasure`), but their check-in codes stay retired, linked to no
one: a code is never given out again, so an old card of theirs can never open the kiosk as a
new patient. ``retired_codes.patient_id`` becomes nullable for that. The downgrade drops the
codes that belong to nobody (the revision before this one cannot hold them): after it, an
erased patient's code could be drawn again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("retired_codes") as batch:
        batch.alter_column("patient_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM retired_codes WHERE patient_id IS NULL")
    with op.batch_alter_table("retired_codes") as batch:
        batch.alter_column("patient_id", existing_type=sa.Integer(), nullable=False)
