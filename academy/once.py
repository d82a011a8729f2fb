"""Create forms that make one record however often they are sent. A form drawn for a create carries a
one-time token (the hidden `once` field: `OnceFormMixin`, or `once_input()` in a template for a form
with no Django form); `run_service(..., once=token)` claims it in the same transaction as the service's
write. A second send of the same token (a double click, back and resubmit) waits for the first, finds
the claim and goes to what the first one made; a refusal releases the claim with the rest of the
transaction, so the corrected form may be sent again."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from markupsafe import Markup

from academy.models import FormSubmission

FIELD = "once"
EXPIRED = "This form has expired: reload the page and send it again"
REPLAYED = "That form had already been sent, so it was not sent again."


class OnceFormMixin:
    """Adds the hidden one-time token; a new one each time the form is drawn afresh."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.UUIDField(
            widget=forms.HiddenInput,
            required=False,
            initial=uuid.uuid4,
            error_messages={"invalid": EXPIRED},
        )

    def clean(self):
        cleaned = super().clean()
        # The token is not the service's business: kept aside, out of the cleaned data views pass on.
        self.once_token = cleaned.pop(FIELD, None)
        return cleaned


def once_input() -> Markup:
    """The hidden token for a template's own form (a button that creates something)."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, uuid.uuid4())


def token_from(data) -> uuid.UUID | None:
    """The token a plain form sent, or None (none sent, or not a token: such a send is not deduplicated,
    as a form drawn before tokens were added would not be)."""
    try:
        return uuid.UUID(str(data.get(FIELD, "")))
    except ValueError:
        return None


def claim(token: uuid.UUID, user) -> FormSubmission | None:
    """Inside the transaction of the write: the claim made now (None if this is the first send), or the
    earlier claim of this token (a repeat). A token someone else claimed is refused."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim() must run inside transaction.atomic(), with the write it guards.")
    submission, created = FormSubmission.objects.get_or_create(token=token, defaults={"user": user})
    if created:
        return None
    if submission.user_id != user.pk:
        raise ValidationError(EXPIRED)
    return submission


def record(token: uuid.UUID, url: str) -> None:
    FormSubmission.objects.filter(token=token).update(result_url=url[:500])
