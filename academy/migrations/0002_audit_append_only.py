from django.db import migrations

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION academy_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % is not allowed on academy_auditentry', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER academy_auditentry_append_only
    BEFORE UPDATE OR DELETE ON academy_auditentry
    FOR EACH ROW EXECUTE FUNCTION academy_audit_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS academy_auditentry_append_only ON academy_auditentry;
DROP FUNCTION IF EXISTS academy_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("academy", "0001_initial")]

    operations = [migrations.RunSQL(APPEND_ONLY, REVERSE)]
