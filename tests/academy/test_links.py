"""Links and static addresses worked out once per process (academy/links.py) give what Django's
`reverse` and `static` give, argument for argument."""

from __future__ import annotations

import pytest
from django.templatetags.static import static
from django.test import override_settings
from django.urls import reverse

from academy import links


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("academy:home", ()),
        ("programmes:cancel", (7,)),
        ("programmes:cancel", (1234567,)),
        ("programmes:programme", ("a-slug",)),  # text goes to reverse, which quotes it
        ("programmes:cancel", ("5",)),  # a number as text: reverse decides
    ],
)
def test_url_is_what_reverse_gives(name, args):
    assert links.url(name, *args) == reverse(name, args=args or None)


def test_url_with_keywords_is_reversed():
    assert links.url("programmes:cancel", pk=12) == reverse("programmes:cancel", kwargs={"pk": 12})


def test_row_urls_fill_each_rows_number_into_one_reversed_pattern():
    assert [links.row_url("programmes:cancel", pk) for pk in (1, 20, 300)] == [
        reverse("programmes:cancel", args=[pk]) for pk in (1, 20, 300)
    ]


def test_static_url_is_what_static_gives_and_follows_a_change_of_setting():
    assert links.static_url("academy/academy.css") == static("academy/academy.css")
    with override_settings(STATIC_URL="/elsewhere/"):
        assert links.static_url("academy/academy.css") == "/elsewhere/academy/academy.css"
    assert links.static_url("academy/academy.css") == static("academy/academy.css")
