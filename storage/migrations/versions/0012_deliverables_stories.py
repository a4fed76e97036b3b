"""Deliverables, exemplary stories and the files people send

Revision ID: 0012
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def _moment() -> storage.models.UtcDateTime:
    return storage.models.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("file_type", sa.String(length=8), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("created_at", _moment(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploads")),
        sa.UniqueConstraint("sha256", name=op.f("uq_uploads_sha256")),
    )
    op.create_table(
        "deliverable_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deliverable", sa.String(length=40), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("created_at", _moment(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", _moment(), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_deliverable_versions_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"], ["uploads.id"], name=op.f("fk_deliverable_versions_upload_id_uploads")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_deliverable_versions_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["people.id"], name=op.f("fk_deliverable_versions_reviewed_by_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliverable_versions")),
        sa.UniqueConstraint(
            "deliverable", "unit_id", "version", name=op.f("uq_deliverable_versions_deliverable")
        ),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("achievement", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("created_at", _moment(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", _moment(), nullable=True),
        sa.Column("broadcast_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_stories_unit_id_units")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_stories_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["people.id"], name=op.f("fk_stories_reviewed_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["broadcast_id"], ["broadcasts.id"], name=op.f("fk_stories_broadcast_id_broadcasts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
    )
    op.create_index("ix_stories_status", "stories", ["status", "created_at"])
    op.create_table(
        "story_photos",
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_story_photos_story_id_stories")
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"], ["uploads.id"], name=op.f("fk_story_photos_upload_id_uploads")
        ),
        sa.PrimaryKeyConstraint("story_id", "position", name=op.f("pk_story_photos")),
    )


def downgrade() -> None:
    op.drop_table("story_photos")
    op.drop_index("ix_stories_status", table_name="stories")
    op.drop_table("stories")
    op.drop_table("deliverable_versions")
    op.drop_table("uploads")
