"""What each role can do next: the header navigation and the home page cards.

Apps register their entries in `AppConfig.ready()`, so `academy` never imports a domain app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch

from academy.links import url as cached_url
from academy.models import Role
from academy.permissions import user_roles

PARTICIPANT = "Participant"


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    description: str
    roles: frozenset[str]
    in_header: bool = True
    order: int = 100
    # For an entry only some participants need (GMTS trainees, their managers): whether it applies to
    # this user, asked only when the entry is shown (the home page, not every page's header).
    applies: Callable[[object], bool] | None = None


_entries: list[Entry] = []


def register(
    label: str,
    url_name: str,
    description: str,
    *,
    roles,
    in_header: bool = True,
    order: int = 100,
    applies: Callable[[object], bool] | None = None,
):
    entry = Entry(label, url_name, description, frozenset(roles), in_header, order, applies)
    if entry not in _entries:
        _entries.append(entry)


def entries_for(user, *, header_only: bool = False) -> list[dict]:
    """The entries this user may follow, in order, each resolved to a URL; with `header_only`, those
    the header shows."""
    roles = set(user_roles(user)) | {PARTICIPANT}
    if getattr(user, "is_superuser", False):
        roles |= set(Role.values)
    resolved = []
    for entry in sorted(_entries, key=lambda e: (e.order, e.label)):
        if not (entry.roles & roles) or (header_only and not entry.in_header):
            continue
        if entry.applies is not None and not entry.applies(user):
            continue
        try:
            url = cached_url(entry.url_name)
        except NoReverseMatch:
            continue
        resolved.append(
            {
                "label": entry.label,
                "url": url,
                "description": entry.description,
                "in_header": entry.in_header,
                "roles": sorted(entry.roles & roles),
            }
        )
    return resolved


def role_sections_for(user) -> list[dict]:
    """Home page: one section per role the user holds, with that role's entries."""
    entries = entries_for(user)
    held = [PARTICIPANT, *[r for r in Role.values if r in user_roles(user)]]
    sections = []
    for role in held:
        cards = [e for e in entries if role in e["roles"]]
        if cards:
            sections.append({"role": role, "cards": cards})
    return sections
