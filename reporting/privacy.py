"""Reporting holds no one's own data but the quotes it publishes: an erased person's feedback is no
longer quoted in any Year in Review (academy.privacy)."""

from __future__ import annotations

from academy import privacy
from reporting.models import Edition


def erase(person) -> dict[str, int]:
    quotes = Edition.quotes.through.objects.filter(feedback__enrolment__person=person)
    return {"quotes withdrawn": quotes.delete()[0]}


def register() -> None:
    privacy.register(privacy.Area("reporting", "Year in Review", export=lambda person: {}, erase=erase))
