"""Who may do what: role predicates, the user's region and the view decorators (`role_required`,
`permission_required`). Scoping of lists and the `<thing>_for_<who>(user, pk)` access helpers live in
each app's selectors.py and use the predicates defined here; a record outside the user's scope answers
404 there, a page for a role the user does not have answers 403 here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from academy.models import STAFF_ROLES, Person, Region, Role, RoleGrant, User
from academy.prepared import Prepared

# Every signed-in page reads the user's grants, and most read their person: each query is built and
# compiled once per process (ADR 0005).
_grants = Prepared(lambda user: RoleGrant.objects.filter(user_id=user).select_related("region"), user=int)
_people = Prepared(lambda user: Person.objects.select_related("organisation").filter(user_id=user), user=int)


def role_grants(user) -> tuple[RoleGrant, ...]:
    """The roles an administrator granted the signed-in user, with their regions, read once per
    request object (ADR 0003)."""
    if not getattr(user, "is_authenticated", False):
        return ()
    cached = getattr(user, "_academy_grants", None)
    if cached is None:
        cached = tuple(_grants.objects(user=user.pk))
        user._academy_grants = cached
    return cached


def user_roles(user) -> frozenset[str]:
    """The signed-in user's roles: those granted to them, and nothing they can set themselves."""
    return frozenset(grant.role for grant in role_grants(user))


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_staff_type(user) -> bool:
    """Staff-type roles see other people's records, so they must sign in with MFA."""
    return bool(user_roles(user) & STAFF_ROLES) or bool(getattr(user, "is_superuser", False))


def is_programme_staff(user) -> bool:
    return has_role(user, Role.PROGRAMME_STAFF)


def can_read_audit_log(user) -> bool:
    return has_role(user, Role.PROGRAMME_STAFF, Role.LEAD) or bool(getattr(user, "is_superuser", False))


def can_erase_people(user) -> bool:
    """A lead erases people of their region on request (UK GDPR article 17); an administrator may too."""
    return has_role(user, Role.LEAD) or bool(getattr(user, "is_superuser", False))


def person_of(user) -> Person:
    """The profile of a signed-in user, with their organisation (which the eligibility rules read), read
    once per request object and created on first use (accounts made outside sign-up)."""
    held = User.person.related  # the user's cached `person`, as `user.person` keeps it
    person = held.get_cached_value(user, default=None)
    if person is not None:
        return person
    for person in _people.objects(user=user.pk):
        user.person = person
        return person
    from academy.services import person_create_for_user

    return person_create_for_user(user=user)


def staff_region(user) -> Region | None:
    """The region whose records a staff user may see: the one their staff-type roles were granted
    for. Never the region of their profile, which follows the organisation they edit on /profile/."""
    for grant in role_grants(user):
        if grant.role in STAFF_ROLES:
            return grant.region
    return None


def require_region(user) -> Region:
    region = staff_region(user)
    if region is None:
        raise PermissionDenied("Your profile has no region, so no regional records can be shown.")
    return region


def role_required(*roles: str) -> Callable:
    """View decorator: anonymous visitors are sent to sign in; others need one of `roles`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def permission_required(predicate: Callable[[object], bool]) -> Callable:
    """View decorator for a user predicate, e.g. `@permission_required(can_read_audit_log)`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
