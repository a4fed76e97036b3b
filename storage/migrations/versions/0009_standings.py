"""Standings: the current value of each figure, and units' spells in groups

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "current_values",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("value", storage.models.ExactDecimal(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("first_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_current_values_indicator_id_indicators"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_current_values_unit_id_units")
        ),
        sa.PrimaryKeyConstraint(
            "unit_id",
            "indicator_id",
            "period",
            name=op.f("pk_current_values"),
            postgresql_include=["value", "first_at"],
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "unit_spells",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("starts", sa.Date(), nullable=True),
        sa.Column("ends", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"], ["unit_groups.id"], name=op.f("fk_unit_spells_group_id_unit_groups")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_unit_spells_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_spells")),
    )
    op.create_index(op.f("ix_unit_spells_unit_id"), "unit_spells", ["unit_id"], unique=False)
    # Figures reported before: the newest revision of each, first arrival kept.
    op.execute(
        "INSERT INTO current_values"
        " (unit_id, indicator_id, period, value, revision, first_at, updated_at)"
        " SELECT r.unit_id, r.indicator_id, r.period, r.value, r.revision, f.first_at, r.created_at"
        " FROM reports r JOIN (SELECT unit_id, indicator_id, period, max(revision) AS newest,"
        " min(created_at) AS first_at FROM reports GROUP BY unit_id, indicator_id, period) f"
        " ON r.unit_id = f.unit_id AND r.indicator_id = f.indicator_id"
        " AND r.period = f.period AND r.revision = f.newest"
    )
    # Units loaded before: in their group from the start.
    op.execute(
        "INSERT INTO unit_spells (unit_id, group_id, starts, ends)"
        " SELECT id, group_id, NULL, NULL FROM units"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_unit_spells_unit_id"), table_name="unit_spells")
    op.drop_table("unit_spells")
    op.drop_table("current_values")
