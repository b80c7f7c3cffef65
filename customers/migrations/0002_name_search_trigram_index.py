"""Name search: a trigram (GIN) index on Customer.search_name, on PostgreSQL (pg_trgm, shipped with
the server; a trusted extension, so the database owner may create it). SQLite has no trigram index:
the search there falls back to a slower scan that gives the same order (customers/selectors.py)."""
from django.db import migrations

UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS customer_search_name_trgm ON customers_customer USING gin (search_name gin_trgm_ops)",
]
DOWN = ["DROP INDEX IF EXISTS customer_search_name_trgm"]


def _on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(_on_postgres(UP), _on_postgres(DOWN))]
