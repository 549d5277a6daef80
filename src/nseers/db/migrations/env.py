"""Alembic's environment: run the migrations on the connection ``nseers.db.migrate`` gives."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from nseers.db.engine import create_database_engine

config = context.config


def run_migrations_online() -> None:
    """Migrate the passed connection, or a new engine for ``sqlalchemy.url``."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    engine = create_database_engine(url) if url else create_engine("sqlite://")
    with engine.connect() as conn:
        context.configure(connection=conn, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
