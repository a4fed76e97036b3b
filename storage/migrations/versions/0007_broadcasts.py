"""Campaign updates (broadcasts)

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("audience_typed", sa.Text(), nullable=False),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("audience_label", sa.Text(), nullable=False),
        sa.Column("scheduled_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("recurring", sa.String(length=64), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=True),
        sa.Column("no_chat", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["people.id"], name=op.f("fk_broadcasts_sender_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcasts")),
        sa.UniqueConstraint("recurring", name=op.f("uq_broadcasts_recurring")),
    )
    op.create_index("ix_broadcasts_due", "broadcasts", ["state", "scheduled_at"])


def downgrade() -> None:
    op.drop_index("ix_broadcasts_due", table_name="broadcasts")
    op.drop_table("broadcasts")
