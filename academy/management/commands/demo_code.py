"""Print the current two-factor code of a demo staff account (development only)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from academy import demo


class Command(BaseCommand):
    help = "Print the current 6-digit code for a demo account that uses the shared demo MFA secret."

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", default="staff@nhs.net")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo codes exist only in development.")
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        counter = int(time.time()) // 30
        remaining = 30 - int(time.time()) % 30
        code = format_hotp_value(hotp_value(demo.DEMO_TOTP_SECRET, counter))
        self.stdout.write(f"{code}  (for {options['email']}, valid for {remaining} more seconds)")
