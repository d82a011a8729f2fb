from __future__ import annotations

from django.template.backends.utils import csrf_input
from django.utils.functional import SimpleLazyObject

from academy.navigation import entries_for


def csrf_once(request) -> dict:
    """`csrf_input` made once per page: Django's Jinja2 backend masks a new token each time the page
    prints it (the header's search, the session warning, the page's own forms), and masking is drawn
    from the system's random source a character at a time. Masking protects the token between
    responses, so one masked token serves every form of a page."""
    return {"csrf_input": SimpleLazyObject(lambda: csrf_input(request))}


def navigation(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": [], "header_navigation": []}
    items = entries_for(request.user, header_only=True)
    path = request.path
    current = max(
        (e for e in items if path.startswith(e["url"]) and e["url"] != "/"),
        key=lambda e: len(e["url"]),
        default=None,
    )
    for e in items:
        e["current"] = e is current
    # header_navigation: the same entries in the shape the NHS.UK header macro takes.
    header_navigation = [{"text": e["label"], "href": e["url"], "current": e["current"]} for e in items]
    return {"nav_items": items, "header_navigation": header_navigation}
