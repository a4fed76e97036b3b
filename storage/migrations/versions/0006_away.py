"""Away and snoozes: people not reminded until a date, reminders asked for again later

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "away",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("set_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_away_person_id_people")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_away")),
    )
    op.create_table(
        "snoozes",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("due_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_snoozes_person_id_people")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_snoozes")),
    )
    op.create_index(op.f("ix_snoozes_due_at"), "snoozes", ["due_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_snoozes_due_at"), table_name="snoozes")
    op.drop_table("snoozes")
    op.drop_table("away")
