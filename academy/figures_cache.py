"""Figures of a finished period, kept in the cache until the portal's data changes.

A lead's dashboard for a complete NHS year runs a score of aggregate queries over a million enrolments,
yet its figures change only when someone records something: every state change writes an audit entry
(academy.audit) and every new row takes a new primary key. So the data's version is one statement that
reads the highest primary key of the audit log and of every table the portal's own apps own (each an
index look-up), and figures are cached under their scope *and* that version: any change, through a
service, an import or a factory in a test, gives a new version and the figures are computed afresh.
The audit log's entries that record a read (`audit.READ`: a lead opening a talent record, staff
shown someone's equality data) change no data, so they leave the version as it was.

Figures that read only some apps' tables name them (`app_labels`: the talent pool's figures read
`talent` and `academy`), and their version is those apps' tables and the audit entries of changes to
those apps' records, or to no record in particular: every service audits a change against the record
it changes (academy.audit), so a change elsewhere in the portal leaves them kept. The entries are read
a kind of record at a time through a partial index of the entries that record a change
(`audit_change_idx` on target type and id).
`TIMEOUT` bounds what a change made behind the services' back (a raw SQL fix) can leave unseen.

Figures that also change with the clock (programmes' sessions held by now) pass `now`, and are cached
only for a finished period: a period still running changes with the clock, which no version catches.
Figures that depend on the data alone (the talent pool on a period's last day, GMTS trainees) pass no
`now` and are cached for any period.

What is kept is compressed: a dashboard keeps the markup drawn from its figures (tables, charts as
images), tens or hundreds of kilobytes of repetitive text that compresses to a tenth or less, which is
quicker to write to the cache and to read back (the talent dashboard's 72 kB, its charts served at
addresses of their own, become 8 kB)."""

from __future__ import annotations

import functools
import hashlib
import pickle
import zlib
from collections.abc import Callable
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, models

from academy import audit
from academy.models import AuditEntry
from academy.prepared import execute_prepared
from academy.scope import Scope

T = TypeVar("T")
TIMEOUT = 15 * 60  # seconds


@functools.cache
def _version_sql(app_labels: tuple[str, ...] | None) -> str:
    """One statement: the highest primary key of every table of the portal's own apps (of those named
    in `app_labels` only, when given), and of the audit log's entries that record a change: any change,
    or, with `app_labels`, a change to one of those apps' records or to no record in particular."""
    base = str(settings.BASE_DIR)
    chosen = [
        model
        for config in apps.get_app_configs()
        if str(config.path).startswith(base) and (app_labels is None or config.label in app_labels)
        for model in config.get_models()
        if model._meta.managed and not model._meta.proxy
    ]
    quote = connection.ops.quote_name
    audit_log = AuditEntry._meta.db_table
    changes = f"{quote('action')} <> '{audit.READ}'"  # a constant of ours, not input
    tables = sorted(
        (model._meta.db_table, model._meta.pk.column)
        for model in chosen
        if isinstance(model._meta.pk, models.AutoField | models.BigAutoField) and model is not AuditEntry
    )
    highest = [f"(SELECT MAX({quote(pk)}) FROM {quote(table)})" for table, pk in tables]
    if app_labels is None:
        highest.append(f"(SELECT MAX(id) FROM {quote(audit_log)} WHERE {changes})")
        return "SELECT " + ", ".join(highest)
    # A kind of record at a time, each one look-up in the index of the entries that record a change
    # (`audit_change_idx`), however many entries other apps have written since.
    content_types = quote(ContentType._meta.db_table)
    highest += [
        f"(SELECT MAX(id) FROM {quote(audit_log)} WHERE {changes} AND target_type_id = (SELECT id FROM "
        f"{content_types} WHERE app_label = '{model._meta.app_label}' AND model = '{model._meta.model_name}'))"
        for model in sorted(chosen, key=lambda model: model._meta.label)
    ]
    highest.append(f"(SELECT MAX(id) FROM {quote(audit_log)} WHERE {changes} AND target_type_id IS NULL)")
    return "SELECT " + ", ".join(highest)


PREPARED = "academy_data_version"


def data_version(app_labels: tuple[str, ...] | None = None) -> str:
    """A short digest that changes whenever a row is added anywhere in the portal or a change is audited
    (not when a read is); with `app_labels`, whenever a row is added to one of those apps' tables or a
    change to one of their records (or to no record in particular) is audited.

    PostgreSQL takes longer to plan the statement (a look-up in each of some sixty tables) than to run
    it, so each database connection prepares it the first time and then only executes it
    (`academy.prepared.execute_prepared`): one statement a call either way."""
    name = PREPARED if app_labels is None else f"{PREPARED}_{'_'.join(app_labels)}"
    with connection.cursor() as cursor:
        execute_prepared(cursor, name, _version_sql(app_labels))
        highest = cursor.fetchone()
    return hashlib.blake2b(repr(highest).encode(), digest_size=8).hexdigest()


def scope_key(name: str, scope: Scope) -> str:
    """The key names the format ("zlib": compressed) so that figures kept before it changed are not read."""
    system = scope.system.pk if scope.system else "all"
    return f"figures:zlib:{name}:{scope.region.pk}:{scope.start}:{scope.end}:{system}"


def finished(scope: Scope, now) -> bool:
    return scope.bounds[1] <= now


def cached_figures(
    name: str,
    scope: Scope,
    compute: Callable[[], T],
    *,
    now=None,
    app_labels: tuple[str, ...] | None = None,
) -> T:
    """`compute()`, or what it gave for the same scope while the data has not changed since. With `now`
    (figures that change with the clock), a period still running is computed every time. With
    `app_labels` (the apps whose tables the figures read, and nothing else), only their data count:
    a coach logging CPD leaves the talent pool's figures kept."""
    if now is not None and not finished(scope, now):
        return compute()
    key = f"{scope_key(name, scope)}:{data_version(app_labels)}"
    kept = cache.get(key)
    if kept is not None:
        return pickle.loads(zlib.decompress(kept))
    figures = compute()
    cache.set(key, zlib.compress(pickle.dumps(figures, pickle.HIGHEST_PROTOCOL), 1), TIMEOUT)
    return figures
