"""Staff mode: clinic settings, program templates and variations, import batches, retired codes.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-15

Written by hand to match :mod:`db.models` (a test compares the two), every constraint named.
``programs`` and ``program_items`` are altered in batch mode: SQLite cannot add a foreign key
to an existing table, so Alembic copies it (the kiosk runs migrations with foreign keys off and
checks them afterwards). Existing programs become non-templates (``server_default`` false).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tz() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("file_format", sa.String(8), nullable=False),
        sa.Column("imported_at", _tz(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("programs_written", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_index(op.f("ix_import_batches_content_sha256"), "import_batches", ["content_sha256"])
    with op.batch_alter_table("programs") as batch:
        batch.add_column(
            sa.Column("is_template", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("import_batch_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_programs_import_batch_id_import_batches"),
            "import_batches",
            ["import_batch_id"],
            ["id"],
        )
    with op.batch_alter_table("program_items") as batch:
        batch.add_column(sa.Column("variation", sa.String(100), nullable=True))
    op.create_table(
        "clinic_settings",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", _tz(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_clinic_settings")),
    )
    op.create_table(
        "retired_codes",
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("retired_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_retired_codes")),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_retired_codes_patient_id_patients")
        ),
    )


def downgrade() -> None:
    op.drop_table("retired_codes")
    op.drop_table("clinic_settings")
    with op.batch_alter_table("program_items") as batch:
        batch.drop_column("variation")
    with op.batch_alter_table("programs") as batch:
        batch.drop_constraint(
            op.f("fk_programs_import_batch_id_import_batches"), type_="foreignkey"
        )
        batch.drop_column("import_batch_id")
        batch.drop_column("is_template")
    op.drop_index(op.f("ix_import_batches_content_sha256"), table_name="import_batches")
    op.drop_table("import_batches")
