from __future__ import annotations

from academy.navigation import entries_for


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
