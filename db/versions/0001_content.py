"""Content tables: reports and what is parsed from them.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _report_fk() -> sa.Column:
    return sa.Column(
        "report_key", sa.String(), sa.ForeignKey("report.key", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "library_meta",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("value", sa.String(), nullable=False),
    )
    op.create_table(
        "report",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("isbn", sa.String(), nullable=True),
        sa.Column("publisher", sa.String(), nullable=True),
        sa.Column("publisher_short", sa.String(), nullable=True),
        sa.Column("citation", sa.String(), nullable=False),
        sa.Column("series", sa.String(), nullable=True),
        sa.Column("executive_summary", sa.String(), nullable=False),
        sa.Column("key_findings", sa.JSON(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("factors_intro", sa.String(), nullable=False),
        sa.Column("barriers_intro", sa.String(), nullable=False),
        sa.Column("authority_columns", sa.JSON(), nullable=False),
        sa.Column("references", sa.JSON(), nullable=False),
        sa.Column("source_name", sa.String(), nullable=False),
        sa.Column("source_sha256", sa.String(), nullable=False),
        sa.Column("imported_at", sa.String(), nullable=False),
        sa.Column("bundled", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "theme",
        sa.Column("key", sa.String(), primary_key=True),
        _report_fk(),
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("evidence_title", sa.String(), nullable=False),
        sa.Column("evidence_intro", sa.String(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "finding",
        sa.Column("key", sa.String(), primary_key=True),
        _report_fk(),
        sa.Column("theme_key", sa.String(), nullable=False),
        sa.Column("review", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "authority",
        sa.Column("key", sa.String(), primary_key=True),
        _report_fk(),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=True),
        sa.Column("grades", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "practice",
        sa.Column("key", sa.String(), primary_key=True),
        _report_fk(),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("authority_key", sa.String(), nullable=False),
        sa.Column("theme_key", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
    )
    op.create_table(
        "case_study",
        sa.Column("key", sa.String(), primary_key=True),
        _report_fk(),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("authority_key", sa.String(), nullable=False),
        sa.Column("introduction", sa.String(), nullable=False),
        sa.Column("key_learning", sa.JSON(), nullable=False),
        sa.Column("background", sa.String(), nullable=False),
        sa.Column("improvement_areas", sa.JSON(), nullable=False),
        sa.Column("enablers", sa.JSON(), nullable=False),
        sa.Column("barriers", sa.JSON(), nullable=False),
        sa.Column("outcomes", sa.String(), nullable=False),
        sa.Column("could_do_better", sa.String(), nullable=False),
        sa.Column("next_steps", sa.String(), nullable=False),
    )
    op.create_table(
        "case_section",
        sa.Column("key", sa.String(), primary_key=True),
        _report_fk(),
        sa.Column("case_study_key", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "factor",
        sa.Column("key", sa.String(), primary_key=True),
        _report_fk(),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "glossary_term",
        sa.Column("id", sa.Integer(), primary_key=True),
        _report_fk(),
        sa.Column("term", sa.String(), nullable=False),
        sa.Column("expansion", sa.String(), nullable=False),
    )
    for table in (
        "theme",
        "finding",
        "authority",
        "practice",
        "case_study",
        "case_section",
        "factor",
        "glossary_term",
    ):
        op.create_index(f"ix_{table}_report_key", table, ["report_key"])
    op.create_index("ix_finding_theme_key", "finding", ["theme_key"])
    op.create_index("ix_practice_authority_key", "practice", ["authority_key"])
    op.create_index("ix_practice_theme_key", "practice", ["theme_key"])
    op.create_index("ix_case_study_authority_key", "case_study", ["authority_key"])
    op.create_index("ix_case_section_case_study_key", "case_section", ["case_study_key"])
    op.create_index("ix_glossary_term_term", "glossary_term", ["term"])


def downgrade() -> None:
    for table in (
        "glossary_term",
        "factor",
        "case_section",
        "case_study",
        "practice",
        "authority",
        "finding",
        "theme",
        "report",
        "library_meta",
    ):
        op.drop_table(table)
