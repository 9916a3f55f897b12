"""Initial schema: patients, programs, assignments, sessions and what they log, staff, audit.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Written by hand to match :mod:`db.models` (a test compares the two). Every constraint and
index is named explicitly (the names the metadata's naming convention gives), so this file
means the same thing whatever the convention becomes later. Enum columns are VARCHAR(16) with
a CHECK listing the values as they were at this revision: PostgreSQL needs no enum types.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SIDES = ("left", "right")


def _tz() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.Constraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _one_of(table: str, column: str, name: str, values: Sequence[str]) -> sa.CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=op.f(f"ck_{table}_{name}"))


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns))


def _event_table(table: str, *extra: sa.Column[object]) -> None:
    """A pain or feedback event: where in the session it happened, all of it optional."""
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("exercise_index", sa.Integer(), nullable=True),
        sa.Column("exercise_id", sa.String(64), nullable=True),
        sa.Column("set_number", sa.Integer(), nullable=True),
        sa.Column("side", sa.String(16), nullable=True),
        sa.Column("rep", sa.Integer(), nullable=True),
        *extra,
        sa.Column("at", _tz(), nullable=False),
        _pk(table),
        _fk(table, "session_id", "sessions"),
        _one_of(table, "side", "side", _SIDES),
    )
    _index(table, "session_id")


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("display_name", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        _pk("patients"),
        sa.UniqueConstraint("code", name=op.f("uq_patients_code")),
    )
    op.create_table(
        "programs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("side_series", sa.Boolean(), nullable=False),
        sa.Column("routine_id", sa.String(64), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", _tz(), nullable=False),
        _pk("programs"),
    )
    op.create_table(
        "program_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(64), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("hold_s", sa.Float(), nullable=True),
        sa.Column("sides", sa.String(16), nullable=True),
        sa.Column("rest_s", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        _pk("program_items"),
        _fk("program_items", "program_id", "programs", ondelete="CASCADE"),
        sa.UniqueConstraint(
            "program_id", "position", name=op.f("uq_program_items_program_id_position")
        ),
        _one_of("program_items", "sides", "side_pattern", ("alternate", "each", "none")),
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("weekdays", sa.Integer(), nullable=True),
        sa.Column("created_at", _tz(), nullable=False),
        _pk("assignments"),
        _fk("assignments", "patient_id", "patients"),
        _fk("assignments", "program_id", "programs"),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_assignments_dates")
        ),
        sa.CheckConstraint(
            "weekdays IS NULL OR (weekdays >= 1 AND weekdays <= 127)",
            name=op.f("ck_assignments_weekdays"),
        ),
    )
    _index("assignments", "patient_id", "start_date")
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("started_at", _tz(), nullable=False),
        sa.Column("ended_at", _tz(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        _pk("sessions"),
        _fk("sessions", "patient_id", "patients"),
        _fk("sessions", "program_id", "programs"),
        _one_of("sessions", "state", "state", ("running", "finished", "stopped", "abandoned")),
    )
    _index("sessions", "patient_id")
    op.create_table(
        "set_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("exercise_index", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(64), nullable=False),
        sa.Column("set_number", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(16), nullable=True),
        sa.Column("reps_target", sa.Integer(), nullable=True),
        sa.Column("reps_done", sa.Integer(), nullable=True),
        sa.Column("hold_target_s", sa.Float(), nullable=True),
        sa.Column("hold_done_s", sa.Float(), nullable=True),
        sa.Column("started_at", _tz(), nullable=False),
        sa.Column("ended_at", _tz(), nullable=False),
        sa.Column("paused_s", sa.Float(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _pk("set_records"),
        _fk("set_records", "session_id", "sessions"),
        _one_of("set_records", "side", "side", _SIDES),
        _one_of("set_records", "status", "status", ("completed", "skipped", "stopped")),
    )
    _index("set_records", "session_id")
    _event_table("pain_events")
    _event_table(
        "feedback_events",
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("value", sa.String(64), nullable=False),
    )
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("pin_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        _pk("staff_users"),
        sa.UniqueConstraint("name", name=op.f("uq_staff_users_name")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", _tz(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        _pk("audit_log"),
    )
    _index("audit_log", "at")


def downgrade() -> None:
    for table in (
        "audit_log",
        "staff_users",
        "feedback_events",
        "pain_events",
        "set_records",
        "sessions",
        "assignments",
        "program_items",
        "programs",
        "patients",
    ):
        op.drop_table(table)
