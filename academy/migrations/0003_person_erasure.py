from django.db import migrations, models

# The audit log stays append-only, with one exception: inside an erasure (the transaction has set
# `academy.erasure` to on), an entry's actor email and record description may be rewritten, and
# nothing else of it.
ERASURE_ALLOWED = """
CREATE OR REPLACE FUNCTION academy_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('academy.erasure', true) = 'on'
       AND NEW.id = OLD.id AND NEW.created_at = OLD.created_at AND NEW.action = OLD.action
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.target_type_id IS NOT DISTINCT FROM OLD.target_type_id
       AND NEW.target_id = OLD.target_id
       AND NEW.region_id IS NOT DISTINCT FROM OLD.region_id
       AND NEW.data = OLD.data THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: % is not allowed on academy_auditentry', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION academy_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % is not allowed on academy_auditentry', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("academy", "0002_audit_append_only")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="erased_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunSQL(ERASURE_ALLOWED, APPEND_ONLY),
    ]
