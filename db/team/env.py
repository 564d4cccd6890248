"""Alembic environment for a team library (PostgreSQL). Run by safedesk itself (see
safedesk.team.setup), which hands over an open connection inside one transaction."""

from alembic import context

connection = context.config.attributes["connection"]
# the version table lives in the team's own schema, which must exist before Alembic looks for it
connection.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS safedesk")
context.configure(
    connection=connection,
    target_metadata=None,
    version_table_schema="safedesk",
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
