"""Erase a person on their request (UK GDPR article 17):

    manage.py erase_person person@nhs.net --by staff@nhs.net --reference "SAR-2025-014"

Their name, email and own words are removed from every area and from the audit log, they can no
longer sign in, and the published figures and counts are unchanged. The erasure is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from academy.models import Person, User
from academy.services import person_erase


class Command(BaseCommand):
    help = "Erase a person's personal data on their request, keeping published figures unchanged."

    def add_arguments(self, parser):
        parser.add_argument("email", help="the work email of the person to erase")
        parser.add_argument("--by", required=True, help="the email of the member of staff doing it")
        parser.add_argument("--reference", required=True, help="the request's reference, for the audit log")

    def handle(self, *args, email: str, by: str, reference: str, **options):
        person = Person.objects.filter(user__email__iexact=email).select_related("user").first()
        if person is None:
            raise CommandError(f"Nobody has the email address {email}.")
        actor = User.objects.filter(email__iexact=by, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active account has the email address {by}.")
        try:
            removed = person_erase(person=person, actor=actor, reason=reference)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from refused
        self.stdout.write(f"Erased person {person.pk} ({email}).")
        for area, counts in removed.items():
            done = ", ".join(f"{name}: {value}" for name, value in counts.items())
            self.stdout.write(f"  {area}: {done or 'nothing held'}")
