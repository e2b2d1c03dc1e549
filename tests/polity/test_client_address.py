"""The client address behind reverse proxies: X-Forwarded-For only as far as it is trusted."""

import pytest
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from polity.throttle import client_address
from tests.polity.test_settings import load_settings


def address(settings, proxies: int, forwarded: str | None) -> str:
    settings.POLITY_TRUSTED_PROXIES = proxies
    extra = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_address(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    assert address(settings, 0, "192.0.2.1, 203.0.113.66") == "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (1, "203.0.113.66", "203.0.113.66"),
        (1, "192.0.2.1, 203.0.113.66", "203.0.113.66"),
        (2, "192.0.2.1, 203.0.113.66, 10.0.0.1", "203.0.113.66"),
        (1, "192.0.2.1,2001:db8::1", "2001:db8::1"),
        (3, "203.0.113.66, 10.0.0.1", "203.0.113.66"),  # skipped the outer proxy
    ],
)
def test_trusted_proxies_name_the_rightmost_hop_they_did_not_write(
    settings, proxies, forwarded, client
):
    assert address(settings, proxies, forwarded) == client


@pytest.mark.parametrize("forwarded", [None, "", "192.0.2.1, not-an-address", "203.0.113.66:443"])
def test_a_missing_or_malformed_hop_falls_back_to_the_peer(settings, forwarded):
    assert address(settings, 1, forwarded) == "10.0.0.2"


def test_drf_throttles_ignore_a_spoofed_header_too():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert BaseThrottle().get_ident(Request(request)) == "10.0.0.2"


def test_a_negative_proxy_count_is_refused():
    result = load_settings(POLITY_TRUSTED_PROXIES="-1")
    assert result.returncode != 0
    assert "POLITY_TRUSTED_PROXIES" in result.stderr
