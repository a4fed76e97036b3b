"""Review by the secretariat: the log of every step of a reported value, its current state

Revision ID: 0008
Revises: 0007

Figures stored before this revision get their submissions in the log and their current
values pending review.
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_review_events_report_id_reports")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_review_events_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_events")),
    )
    op.create_index("ix_review_events_report_id", "review_events", ["report_id"])
    op.create_table(
        "review_states",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("since", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_review_states_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_review_states_indicator_id_indicators"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_review_states_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("unit_id", "indicator_id", "period", name=op.f("pk_review_states")),
    )
    op.create_index("ix_review_states_status", "review_states", ["status", "since"])
    op.execute(
        "INSERT INTO review_events (report_id, action, person_id, channel, comment, at) "
        "SELECT id, CASE WHEN revision = 1 THEN 'submitted' ELSE 'revised' END, "
        "person_id, channel, reason, created_at FROM reports"
    )
    op.execute(
        "INSERT INTO review_states (unit_id, indicator_id, period, report_id, status, since) "
        "SELECT r.unit_id, r.indicator_id, r.period, r.id, 'pending', r.created_at "
        "FROM reports r WHERE r.revision = (SELECT MAX(n.revision) FROM reports n "
        "WHERE n.unit_id = r.unit_id AND n.indicator_id = r.indicator_id "
        "AND n.period = r.period)"
    )


def downgrade() -> None:
    op.drop_index("ix_review_states_status", table_name="review_states")
    op.drop_table("review_states")
    op.drop_index("ix_review_events_report_id", table_name="review_events")
    op.drop_table("review_events")
