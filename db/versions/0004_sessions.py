"""Sessions: a collection's plan (target length, start time), agenda steps that are not library
items (welcome, break, activity...) in one running order with the items, and records of delivery
(date, team, attendance, notes) with their agreed actions.

User tables only gain columns (added in place: every existing row keeps its bytes) and new tables
are created; nothing is rebuilt.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("updated_at", sa.String(), nullable=False),
        sa.Column("deleted_at", sa.String(), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("collection") as batch:
        batch.add_column(sa.Column("plan_length", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("plan_start", sa.String(), nullable=True))
    op.create_table(
        "session_step",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column(
            "collection_id",
            sa.Integer(),
            sa.ForeignKey("collection.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("instructions", sa.String(), nullable=False),
        *_stamps(),
    )
    op.create_table(
        "session_record",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column(
            "collection_id",
            sa.Integer(),
            sa.ForeignKey("collection.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("collection_uid", sa.String(), nullable=False),
        sa.Column("collection_name", sa.String(), nullable=False),
        sa.Column("held_on", sa.String(), nullable=False),
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("attendees", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("covered", sa.JSON(), nullable=False),
        *_stamps(),
    )
    op.create_table(
        "session_action",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column(
            "record_id",
            sa.Integer(),
            sa.ForeignKey("session_record.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(), nullable=False),
        sa.Column("who", sa.String(), nullable=False),
        sa.Column("due", sa.String(), nullable=True),
        sa.Column("done_at", sa.String(), nullable=True),
        *_stamps(),
    )
    for table, column in (
        ("session_step", "uid"),
        ("session_step", "collection_id"),
        ("session_step", "deleted_at"),
        ("session_record", "uid"),
        ("session_record", "collection_id"),
        ("session_record", "deleted_at"),
        ("session_action", "uid"),
        ("session_action", "record_id"),
        ("session_action", "deleted_at"),
    ):
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table in ("session_action", "session_record", "session_step"):
        op.drop_table(table)
    with op.batch_alter_table("collection") as batch:
        batch.drop_column("plan_start")
        batch.drop_column("plan_length")
