"""Period reopenings: a locked period taking one unit's figures again until a day

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "period_reopenings",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_period_reopenings_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("unit_id", "period", name=op.f("pk_period_reopenings")),
    )


def downgrade() -> None:
    op.drop_table("period_reopenings")
