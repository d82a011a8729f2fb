"""Calendar files for programme sessions (built by academy.calendar)."""

from __future__ import annotations

from collections.abc import Iterable

from academy.calendar import UID_DOMAIN, CalendarEvent, calendar_file
from programmes.models import Session


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@{UID_DOMAIN}"


def session_event(session: Session) -> CalendarEvent:
    description = [session.cohort.name]
    if session.joining_url:
        description.append(f"Join online: {session.joining_url}")
    return CalendarEvent(
        uid=session_uid(session),
        sequence=session.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=f"{session.cohort.programme.title}: {session.title}",
        description="\n".join(description),
        location=session.venue or session.joining_url,
        url=session.joining_url,
        cancelled=session.is_cancelled,
    )


def sessions_ics(sessions: Iterable[Session], *, method: str = "PUBLISH", attendee_email: str = "") -> bytes:
    """One calendar with an event per session: PUBLISH (a download), REQUEST (an invitation or an
    update) or CANCEL (the event is withdrawn)."""
    return calendar_file((session_event(s) for s in sessions), method=method, attendee_email=attendee_email)
