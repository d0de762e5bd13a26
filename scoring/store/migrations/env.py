"""Alembic environment of the round store: always run in code, on the connection the store opened.

``scoring.store.db`` builds the Config (script_location = this folder) and puts
its connection in ``config.attributes["connection"]``; there is no alembic.ini.
"""

from alembic import context

from scoring.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
