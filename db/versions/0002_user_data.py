"""User data: bookmarks, collections and their items, local examples.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _stamps(with_update: bool = True) -> list[sa.Column]:
    columns = [sa.Column("created_at", sa.String(), nullable=False)]
    if with_update:
        columns.append(sa.Column("updated_at", sa.String(), nullable=False))
    columns.append(sa.Column("deleted_at", sa.String(), nullable=True))
    return columns


def upgrade() -> None:
    op.create_table(
        "bookmark",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        *_stamps(),
    )
    op.create_table(
        "collection",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        *_stamps(),
    )
    op.create_table(
        "collection_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column(
            "collection_id",
            sa.Integer(),
            sa.ForeignKey("collection.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("report_key", sa.String(), nullable=False),
        sa.Column("report_title", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("prompts", sa.JSON(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        *_stamps(with_update=False),
    )
    op.create_table(
        "example",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("theme_key", sa.String(), nullable=False),
        sa.Column("theme_title", sa.String(), nullable=False),
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("outcomes", sa.String(), nullable=False),
        sa.Column("origin", sa.String(), nullable=False),
        *_stamps(),
    )
    for table, columns in (
        ("bookmark", ["key"]),
        ("bookmark", ["deleted_at"]),
        ("collection", ["uid"]),
        ("collection", ["name"]),
        ("collection", ["deleted_at"]),
        ("collection_item", ["uid"]),
        ("collection_item", ["collection_id"]),
        ("collection_item", ["deleted_at"]),
        ("example", ["uid"]),
        ("example", ["deleted_at"]),
    ):
        op.create_index(f"ix_{table}_{columns[0]}", table, columns)


def downgrade() -> None:
    for table in ("collection_item", "collection", "bookmark", "example"):
        op.drop_table(table)
