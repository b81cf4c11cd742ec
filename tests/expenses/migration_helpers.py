"""A test's database taken back to earlier migrations, to store rows as they were, then forward again."""

from contextlib import contextmanager

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@contextmanager
def migrated_back_to(targets):
    """The database at `targets` (a list of (app, migration)); yields the models of that state. On leaving, the
    latest migrations run again, over whatever was stored meanwhile."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    try:
        yield executor.loader.project_state(targets).apps
    finally:
        MigrationExecutor(connection).migrate(latest)
