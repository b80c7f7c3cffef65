"""The audit trail is append-only in the database itself: UPDATE and DELETE of a row are refused,
whatever code (or person with a SQL prompt) tries."""
from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION contactcentre_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER contactcentre_auditevent_append_only BEFORE UPDATE OR DELETE ON contactcentre_auditevent
    FOR EACH ROW EXECUTE FUNCTION contactcentre_audit_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS contactcentre_auditevent_append_only ON contactcentre_auditevent;
DROP FUNCTION IF EXISTS contactcentre_audit_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER contactcentre_auditevent_no_update BEFORE UPDATE ON contactcentre_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only (UPDATE refused)'); END;""",
    """CREATE TRIGGER contactcentre_auditevent_no_delete BEFORE DELETE ON contactcentre_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only (DELETE refused)'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS contactcentre_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS contactcentre_auditevent_no_delete;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            return
        for statement in [statements] if isinstance(statements, str) else statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("contactcentre", "0002_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
