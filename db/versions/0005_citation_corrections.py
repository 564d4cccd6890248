"""Citation corrections: the user's own fixes to a report's or document's title, authors, year
and publisher (`safedesk report edit`). User data: a re-import never touches the table.

Each row keeps what the file said when the correction was made (`was`), so a new edition whose
file says something else for that field shows the new edition's value (see store/corrections.py).

The report table also gains a document's counts of sections and passages, written by the import
(counting them at every listing took most of `safedesk reports` at a few hundred documents).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("sections", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("passages", sa.Integer(), nullable=False, server_default="0"))
    op.execute(
        "UPDATE report SET "
        "sections = (SELECT count(*) FROM document_section s WHERE s.report_key = report.key), "
        "passages = (SELECT count(*) FROM passage p WHERE p.report_key = report.key)"
    )
    op.create_table(
        "citation_correction",
        sa.Column("report_key", sa.String(), primary_key=True),
        sa.Column("field", sa.String(), primary_key=True),
        sa.Column("was", sa.JSON(), nullable=True),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.String(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("citation_correction")
    with op.batch_alter_table("report") as batch:
        batch.drop_column("passages")
        batch.drop_column("sections")
