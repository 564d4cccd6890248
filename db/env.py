"""Alembic environment for safedesk. Run by safedesk itself (see safedesk.store.database.migrate),
which hands over an open connection; batch mode so SQLite can alter tables."""

from alembic import context
from sqlmodel import SQLModel

import safedesk.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
