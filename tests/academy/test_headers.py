"""Every page carries a strict Content-Security-Policy and a Permissions-Policy, in every environment,
and no page the portal draws holds an inline script or style for the policy to block."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


@pytest.mark.parametrize("debug", [True, False])
def test_pages_carry_a_strict_csp_and_a_permissions_policy(debug, staff_client):
    with override_settings(DEBUG=debug):
        for client, url in ((Client(), "/"), (Client(), "/accounts/login/"), (staff_client, "/profile/")):
            response = client.get(url)
            assert response.status_code == 200
            directives = _directives(response)
            assert directives["default-src"] == ["'self'"]
            assert directives["script-src"] == ["'self'"]
            assert directives["style-src"] == ["'self'"]
            assert directives["frame-ancestors"] == ["'none'"]
            assert directives["object-src"] == ["'none'"]
            assert "'unsafe-inline'" not in response["Content-Security-Policy"]
            assert "'unsafe-eval'" not in response["Content-Security-Policy"]
            permissions = response["Permissions-Policy"]
            for feature in ("camera=()", "geolocation=()", "microphone=()", "payment=()"):
                assert feature in permissions


def test_error_pages_carry_the_headers_too():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"|\son[a-z]+=\"", re.I)


def test_the_layout_has_no_inline_script_or_style(staff_client):
    for client, url in ((Client(), "/"), (Client(), "/accounts/login/"), (staff_client, "/profile/")):
        body = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(body), url
        assert not INLINE_STYLE.search(body), url
