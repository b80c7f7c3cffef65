"""pg_trgm, for ranking names by trigram similarity in the member search (customers/selectors.py). It ships
with the PostgreSQL server and is a trusted extension, so the database owner may create it. SQLite has no
such extension: the search ranks there in Python, the same way."""
from django.db import migrations


def create_extension(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(create_extension, migrations.RunPython.noop)]
