"""The team library's local half: the link to a team server, the server's last known version of
each shared row (the shadow), the outbox of changes not yet acknowledged, conflict copies that
reached this library, the team's members (for "Shared by Asha"), shared documents, what the last
imported collection file held (so a newer file updates its copy), and sharing marks on
collections and examples.

Only new tables and new columns with defaults: every existing row stays byte-identical. It comes
after the sessions tables (revision 0004); a shared collection's plan and agenda steps stay local.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _flag(name: str) -> sa.Column:
    return sa.Column(name, sa.Boolean(), nullable=False, server_default="0")


def upgrade() -> None:
    for table in ("collection", "example"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(_flag("shared"))
            batch.add_column(sa.Column("shared_by", sa.String(), nullable=False, server_default=""))
    with op.batch_alter_table("collection_item") as batch:
        batch.add_column(sa.Column("team_position", sa.Float(), nullable=True))
        batch.add_column(sa.Column("updated_at", sa.String(), nullable=True))
    op.create_table(
        "team_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("server", sa.String(), nullable=False),
        sa.Column("team_name", sa.String(), nullable=False),
        sa.Column("member_role", sa.String(), nullable=False),
        sa.Column("display_name", sa.String(), nullable=False),
        sa.Column("team_schema", sa.Integer(), nullable=False),
        _flag("editor"),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("joined_at", sa.String(), nullable=False),
        sa.Column("last_sync_at", sa.String(), nullable=True),
        sa.Column("last_attempt_at", sa.String(), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
    )
    op.create_table(
        "team_shadow",
        sa.Column("kind", sa.String(), primary_key=True),
        sa.Column("uid", sa.String(), primary_key=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("shared_by", sa.String(), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.Column("changed_at", sa.String(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "team_change",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("change_id", sa.String(), nullable=False, unique=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("op", sa.String(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("base", sa.JSON(), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.String(), nullable=False),
        sa.Column("sent_at", sa.String(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("error", sa.String(), nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_team_change_kind", "team_change", ["kind", "uid"])
    op.create_table(
        "team_conflict",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("clashed", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("authored_at", sa.String(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("resolved_here", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("arrived_at", sa.String(), nullable=False),
    )
    op.create_index("ix_team_conflict_kind", "team_conflict", ["kind", "uid"])
    op.create_table(
        "team_member",
        sa.Column("role", sa.String(), primary_key=True),
        sa.Column("display_name", sa.String(), nullable=False),
        sa.Column("left_team", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "team_rejected",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
    )
    op.create_table(
        "shared_document",
        sa.Column("report_key", sa.String(), primary_key=True),
        _flag("shared"),
        sa.Column("shared_by", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("document_type", sa.String(), nullable=False),
        sa.Column("source_name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("error", sa.String(), nullable=True),
    )
    op.create_table(
        "file_shadow",
        sa.Column("collection_uid", sa.String(), primary_key=True),
        sa.Column("item_uid", sa.String(), primary_key=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("exported_at", sa.String(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "file_shadow", "shared_document", "team_rejected", "team_member", "team_conflict",
        "team_change", "team_shadow", "team_link",
    ):  # fmt: skip
        op.drop_table(table)
    with op.batch_alter_table("collection_item") as batch:
        batch.drop_column("updated_at")
        batch.drop_column("team_position")
    for table in ("example", "collection"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("shared_by")
            batch.drop_column("shared")
