"""Alembic environment for sitrep's store: run programmatically by ``sitrep.store.db`` (the
connection comes in ``config.attributes``), or by ``alembic`` with ``-x url=...`` when writing
a new migration."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from sitrep.store import schema

config = context.config
target_metadata = schema.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///migrations-scratch.db")
    engine = create_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata,
                          render_as_batch=conn.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
