"""Documents and pages: a report row says whether it is a report or a document, how many pages the
original has and where the original is kept; document sections and passages get tables; practices
and case-study sections gain the page where they start.

Only content tables change (columns added in place, new tables created); user tables are not
touched, so every bookmark, note, collection and example stays byte-identical.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _report_fk() -> sa.Column:
    return sa.Column(
        "report_key", sa.String(), sa.ForeignKey("report.key", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("kind", sa.String(), nullable=False, server_default="report"))
        batch.add_column(sa.Column("pages", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("original_sha256", sa.String(), nullable=True))
        batch.add_column(sa.Column("original_name", sa.String(), nullable=True))
    for table in ("practice", "case_section"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("page", sa.Integer(), nullable=True))
    op.create_table(
        "document_section",
        sa.Column("key", sa.String(), primary_key=True),
        _report_fk(),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "passage",
        sa.Column("key", sa.String(), primary_key=True),
        _report_fk(),
        sa.Column("section_key", sa.String(), nullable=True),
        sa.Column("number", sa.String(), nullable=True),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    for table, column in (
        ("document_section", "report_key"),
        ("passage", "report_key"),
        ("passage", "section_key"),
    ):
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    op.drop_table("passage")
    op.drop_table("document_section")
    for table in ("case_section", "practice"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("page")
    with op.batch_alter_table("report") as batch:
        for column in ("original_name", "original_sha256", "pages", "kind"):
            batch.drop_column(column)
