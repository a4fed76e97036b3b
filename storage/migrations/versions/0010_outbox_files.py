"""A message in the outbox may carry a file (a chart, an export) the bot made

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_kind", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("file_path", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("file_name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("file_name")
        batch_op.drop_column("file_path")
        batch_op.drop_column("file_kind")
