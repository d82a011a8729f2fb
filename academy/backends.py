"""Sign-in backends: Django's (the admin's username) and allauth's (email), each loading the signed-in
user on every request together with their person and organisation, which most pages read (the
eligibility rules, the profile, the participant's own records): one query where there were two."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import backends

from academy.models import User
from academy.prepared import Prepared

_signed_in = Prepared(
    lambda user: User.objects.select_related("person__organisation").filter(pk=user), user=int
)


class _WithPerson:
    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        found = _signed_in.objects(user=user_id)
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None


class ModelBackend(_WithPerson, backends.ModelBackend):
    pass


class EmailBackend(_WithPerson, AuthenticationBackend):
    pass
