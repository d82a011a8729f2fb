"""The audit log: every state change in Academy is recorded here, explicitly, by the service that
makes it (never by a signal), in the same transaction as the change. Reads of another person's
special-category data are recorded too (`audit_read`). `describe` puts an entry into words."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst

from academy.models import AUDIT_READ, AuditEntry, Person, Region

# How far `_region_of` follows a record's links (an attendance -> its session -> its cohort) to find
# the region it belongs to.
REGION_SEARCH_DEPTH = 3

# Fields of a person that are special-category data (UK GDPR article 9): reading another person's is
# audited, and no entry ever holds their values.
SPECIAL_CATEGORY_FIELDS = ("ethnic_category", "disability")


def record(
    actor: Any,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    *,
    region: Region | None = None,
) -> AuditEntry:
    """Append one entry. `actor` is a user (or None for the system, e.g. a scheduled job);
    `action` is a dotted verb such as "enrolment.cancel"; `data` holds what changed. The region is
    the target's (found through its links), else the actor's, so the regional log shows every entry."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    if region is None and target is not None:
        region = _region_of(target)
    if region is None and user is not None:
        region = _region_of(user)
    return AuditEntry.objects.create(
        actor=user,
        actor_email=user.email if user else "",
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        region=region,
        data=json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder)),
    )


def record_many(
    actor: Any,
    action: str,
    model: type[models.Model],
    targets: list[tuple[Any, str]],
    data: dict[str, Any] | None = None,
    *,
    region: Region | None = None,
) -> int:
    """One entry per target (its primary key and how it reads), written with one statement per
    10,000: a large import is audited row by row without a query per row. Returns the count."""
    from academy.bulk import insert_columns, repeat

    if not targets:
        return 0
    user = actor if getattr(actor, "is_authenticated", False) else None
    count = len(targets)
    insert_columns(
        AuditEntry,
        {
            "created_at": repeat(timezone.now(), count),
            "actor": repeat(user.pk if user else None, count),
            "actor_email": repeat(user.email if user else "", count),
            "action": repeat(action, count),
            "target_type": repeat(ContentType.objects.get_for_model(model).pk, count),
            "target_id": [str(pk) for pk, _ in targets],
            "target_repr": [label[:300] for _, label in targets],
            "region": repeat(region.pk if region else None, count),
            "data": repeat(json.dumps(data or {}, cls=DjangoJSONEncoder), count),
        },
    )
    return count


READ = AUDIT_READ  # the action of an entry that records a read (`audit_read`): it changes no data


def audit_read(actor: Any, person: Person, fields: Iterable[str], *, purpose: str) -> AuditEntry | None:
    """Record that `actor` was shown `fields` of `person`'s special-category (or talent) data, and
    why. Reading one's own record is not audited; the values are never written here."""
    if getattr(actor, "pk", None) is not None and actor.pk == person.user_id:
        return None
    return record(
        actor,
        READ,
        person,
        {"fields": sorted(fields), "purpose": purpose},
        region=person.region,
    )


def _region_of(target: models.Model) -> Region | None:
    """The region a record belongs to: its own `region`, else the first found by following its
    links (many-to-one and one-to-one, breadth first); a user's is their profile's."""
    seen: set[tuple[type, Any]] = set()
    level: list[models.Model] = [target]
    for _ in range(REGION_SEARCH_DEPTH + 1):
        following: list[models.Model] = []
        for instance in level:
            key = (type(instance), instance.pk)
            if key in seen:
                continue
            seen.add(key)
            region_id = getattr(instance, "region_id", None)
            if region_id:
                return Region(pk=region_id)
            following.extend(_linked(instance))
        level = following
    return None


def _linked(instance: models.Model) -> list[models.Model]:
    linked = []
    if isinstance(instance, ContentType | AuditEntry | Region):
        return linked
    if hasattr(instance, "USERNAME_FIELD"):
        try:
            return [instance.person]
        except ObjectDoesNotExist:
            return linked
    for field in instance._meta.concrete_fields:
        if field.is_relation and field.many_to_one or (field.is_relation and field.one_to_one):
            if getattr(instance, field.attname, None) is None:
                continue
            try:
                linked.append(getattr(instance, field.name))
            except ObjectDoesNotExist:
                continue
    return linked


# --- In words ---------------------------------------------------------------------------------------

# What each action means, as the audit page shows it. An action missing here is shown from its code
# ("cohort.cancel_enrolments" -> "Cohort: cancel enrolments").
ACTIONS = {
    "application.declined": "Application declined",
    "application.shortlisted": "Application shortlisted",
    "application.submit": "Application submitted",
    "attendance.mark": "Register taken",
    "certificate.issue": "Certificate issued",
    "coach.apply": "Applied to the coach register",
    "coach.compliant_again": "Back on the register after supervision",
    "coach.lapse": "Lapsed from the register (supervision overdue)",
    "coach.qualification_add": "Qualification added",
    "coach.reflective_note_write": "Reflective note written",
    "coach.review.approve": "Coach application approved",
    "coach.review.decline": "Coach application declined",
    "coach.review.more_info": "More information asked of a coach applicant",
    "coach.supervision_reminder": "Supervision reminder sent",
    "coach.update": "Coach profile updated",
    "coach.certificates_delete": "Lapsed coach's certificate files deleted",
    "coaching_request.create": "Coaching requested",
    "coaching_request.withdraw": "Coaching request withdrawn",
    "cohort.cancel_enrolments": "Everyone on a cancelled cohort told",
    "cohort.cancelled": "Cohort cancelled",
    "cohort.closed": "Cohort closed to enrolment",
    "cohort.completed": "Cohort completed",
    "cohort.create": "Cohort created",
    "cohort.open": "Cohort opened for enrolment",
    "cohort.running": "Cohort started",
    "cohort.update": "Cohort changed",
    "cpd.attend": "CPD attendance recorded",
    "cpd.event_add_recording": "CPD recording added",
    "cpd.event_create": "CPD event created",
    "cpd.log": "CPD logged",
    "edition.create": "Year in Review edition created",
    "edition.set_quotes": "Year in Review quotes chosen",
    "edition.update": "Year in Review edition changed",
    "enrolment.cancel": "Enrolment cancelled",
    "enrolment.enrolled": "Enrolled",
    "enrolment.import": "Enrolments imported",
    "enrolment.offer": "Place offered",
    "enrolment.offer_accept": "Offer accepted",
    "enrolment.offer_expire": "Offer lapsed",
    "enrolment.promote": "Moved off the waiting list",
    "enrolment.waitlisted": "Joined the waiting list",
    "feedback.give": "Feedback given",
    "hclm360.import": "HCLM 360 counts imported",
    "person.create": "Profile created",
    "person.create_from_import": "Person added by import",
    "person.erase": "Personal data erased on request",
    "person.export": "Personal data downloaded",
    "person.anonymise_inactive": "Personal data anonymised after the retention period",
    "person.read_special": "Special-category data viewed",
    "person.update_profile": "Profile changed",
    "programme.create": "Programme created",
    "programme.update": "Programme changed",
    "relationship.accept": "Coaching offer accepted",
    "relationship.close": "Coaching relationship closed",
    "relationship.decline": "Coaching offer declined",
    "relationship.offer": "Coach offered",
    "relationship.session_log": "Coaching session logged",
    "report_run.claim": "Year in Review PDF started",
    "report_run.fail": "Year in Review PDF failed",
    "report_run.request": "Year in Review PDF requested",
    "report_run.retry": "Year in Review PDF tried again",
    "report_run.succeed": "Year in Review PDF ready",
    "session.cancel": "Session cancelled",
    "session.create": "Session added",
    "session.reminder": "Session reminders sent",
    "session.update": "Session changed",
    "supervision.add_attendee": "Coach added to group supervision",
    "supervision.cancel": "Group supervision cancelled",
    "supervision.confirm_attendance": "Supervision attendance confirmed",
    "supervision.log": "Supervision logged",
    "supervision.remove_attendee": "Coach removed from group supervision",
    "supervision.schedule": "Group supervision scheduled",
}

# Data keys in words; others are shown with underscores as spaces.
KEYS = {
    "fields": "Changed",
    "from": "Was",
    "from_position": "Was at waiting-list position",
    "waitlist_position": "Waiting-list position",
    "expires_at": "Offer held until",
    "new_people": "New people",
    "will_retry": "Will try again",
    "consent_to_quote": "May be quoted",
    "previous_status": "Status before",
    "due_on": "Due on",
    "supervision_due_on": "Supervision due on",
    "held_on": "Held on",
    "duration_minutes": "Minutes",
}


def action_in_words(action: str) -> str:
    if action in ACTIONS:
        return ACTIONS[action]
    subject, _, verb = action.partition(".")
    return f"{capfirst(subject.replace('_', ' '))}: {verb.replace('.', ' ').replace('_', ' ')}"


def describe(entry: AuditEntry) -> str:
    """What changed, in a sentence per key: "Changed: capacity and name. Was: open." Field names are
    the record's own labels ("first name", not "given_name")."""
    model = entry.target_type.model_class() if entry.target_type_id else None
    parts = []
    for key, value in (entry.data or {}).items():
        label = KEYS.get(key, capfirst(key.replace("_", " ")))
        if key == "fields" and isinstance(value, list):
            words = _join([_field_label(model, name) for name in value]) or "nothing"
        else:
            words = _value_in_words(value)
        parts.append(f"{label}: {words}.")
    return " ".join(parts)


def _field_label(model: type[models.Model] | None, name: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return name.replace("_", " ")


def _value_in_words(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return _join([_value_in_words(v) for v in value])
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')} {_value_in_words(v)}" for k, v in value.items())
    if isinstance(value, Decimal | int | float):
        return str(value)
    if isinstance(value, str):
        return _text_in_words(value)
    return str(value)


def _text_in_words(value: str) -> str:
    """Dates and times (stored as ISO text) as people write them; other text as it is."""
    try:
        moment = parse_datetime(value) if "T" in value else None
        day = parse_date(value) if len(value) == 10 else None
    except ValueError:
        moment = day = None
    if moment is not None:
        moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        return f"{moment:%-d %B %Y at %H:%M}"
    if isinstance(day, datetime.date):
        return f"{day:%-d %B %Y}"
    return value


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
