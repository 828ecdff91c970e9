"""Alembic environment: runs migrations on the connection Taboor hands it."""

from __future__ import annotations

from alembic import context

from centre.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Taboor runs its migrations through centre.store.engine.ensure_schema")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
