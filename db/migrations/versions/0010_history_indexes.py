"""Indexes for the staff side's real access paths, so a grown clinic stays instant.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

Written by hand to match :mod:`db.models` (a test compares the two). Two years of a busy
clinic hold ~250,000 sessions and ~1.2 million sets; without these every day query (the live
board, the clinic day, ``kiosk report``) read every session:

- ``sessions (started_at)``: a day or a date range of the whole clinic;
- ``sessions (patient_id, started_at)``: one patient's period (progress pages); it replaces
  the index on ``patient_id`` alone, which it starts with;
- ``set_records (session_id, status, ended_at)``: a session's sets counted by status, and
  when the last ended, from the index alone; it replaces the one on ``session_id`` alone;
- ``feedback_events (session_id, kind, at)``: a session's last pain rating before or after,
  found without sorting; it replaces the one on ``session_id`` alone;
- ``assignments (end_date)``: the assignments still running on a day (``end_date IS NULL OR
  end_date >= day``, two index lookups), without reading the years of ended ones.

Pain presses are read by session through their existing ``session_id`` index.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_sessions_started_at", "sessions", ["started_at"])
    op.create_index("ix_sessions_patient_id_started_at", "sessions", ["patient_id", "started_at"])
    op.drop_index("ix_sessions_patient_id", table_name="sessions")
    op.create_index(
        "ix_set_records_session_id_status_ended_at",
        "set_records",
        ["session_id", "status", "ended_at"],
    )
    op.drop_index("ix_set_records_session_id", table_name="set_records")
    op.create_index(
        "ix_feedback_events_session_id_kind_at", "feedback_events", ["session_id", "kind", "at"]
    )
    op.drop_index("ix_feedback_events_session_id", table_name="feedback_events")
    op.create_index("ix_assignments_end_date", "assignments", ["end_date"])


def downgrade() -> None:
    op.drop_index("ix_assignments_end_date", table_name="assignments")
    op.create_index("ix_feedback_events_session_id", "feedback_events", ["session_id"])
    op.drop_index("ix_feedback_events_session_id_kind_at", table_name="feedback_events")
    op.create_index("ix_set_records_session_id", "set_records", ["session_id"])
    op.drop_index("ix_set_records_session_id_status_ended_at", table_name="set_records")
    op.create_index("ix_sessions_patient_id", "sessions", ["patient_id"])
    op.drop_index("ix_sessions_patient_id_started_at", table_name="sessions")
    op.drop_index("ix_sessions_started_at", table_name="sessions")
