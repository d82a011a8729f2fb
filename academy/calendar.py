"""Calendar files (iCalendar, RFC 5545) for anything the academy invites people to: programme sessions,
group supervision. Each event keeps one UID for life and its SEQUENCE rises with every change, so
calendar clients replace the event (METHOD:REQUEST) or remove it (METHOD:CANCEL)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//NHS Leadership Academy//Academy//EN"
UID_DOMAIN = "academy.leadershipacademy.nhs.uk"
ORGANISER_NAME = "NHS Leadership Academy"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False


def calendar_file(
    events: Iterable[CalendarEvent], *, method: str = "PUBLISH", attendee_email: str = ""
) -> bytes:
    """One calendar with the given events. `method` is PUBLISH (a download), REQUEST (an invitation or
    an update) or CANCEL (the events are withdrawn)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    organiser_email = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip()
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("sequence", item.sequence)
        event.add("dtstamp", timezone.now())
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        if item.description:
            event.add("description", item.description)
        event.add("status", "CANCELLED" if method == "CANCEL" or item.cancelled else "CONFIRMED")
        organiser = vCalAddress(f"MAILTO:{organiser_email}")
        organiser.params["cn"] = vText(ORGANISER_NAME)
        event.add("organizer", organiser)
        if attendee_email:
            attendee = vCalAddress(f"MAILTO:{attendee_email}")
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", attendee)
        calendar.add_component(event)
    return calendar.to_ical()
