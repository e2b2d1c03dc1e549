"""Sign up, log in, log out, password reset, throttling and CSRF."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from identity.models import User
from identity.roles import CITIZEN

PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def citizen(db):
    user = User.objects.create_user("maria", "maria@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=CITIZEN))
    return user


@pytest.mark.django_db
def test_sign_up_creates_a_logged_in_citizen(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newbie",
            "email": "New@Example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.email == "new@example.org"
    assert user.groups.filter(name=CITIZEN).exists()
    assert user.public_alias.startswith("c-")
    assert client.get("/").context["user"] == user


@pytest.mark.django_db
def test_sign_up_with_a_weak_password_stores_nothing_and_says_why(client):
    response = client.post(
        "/accounts/signup/",
        {"username": "weak", "email": "weak@example.org", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="weak").exists()
    assert "too short" in response.content.decode()


@pytest.mark.django_db
def test_sign_up_refuses_a_taken_email(client, citizen):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "other",
            "email": "MARIA@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()


def test_log_in_and_log_out(client, citizen):
    assert (
        client.post("/accounts/login/", {"username": "maria", "password": PASSWORD}).status_code
        == 302
    )
    assert client.get("/").context["user"] == citizen
    assert client.post("/accounts/logout/").status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def fail_log_in(client, username: str = "maria", **extra: str) -> int:
    return client.post(
        "/accounts/login/", {"username": username, "password": "wrong"}, **extra
    ).status_code


def test_failures_from_another_address_do_not_lock_the_citizen_out(client, citizen, settings):
    settings.AUTH_THROTTLE_ATTEMPTS = 3
    for _ in range(5):
        fail_log_in(Client(), REMOTE_ADDR="203.0.113.66")
    response = client.post(
        "/accounts/login/", {"username": "maria", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302
    assert client.get("/").context["user"] == citizen


def test_log_in_is_throttled_per_address_and_account_with_a_reason(client, citizen, settings):
    settings.AUTH_THROTTLE_ATTEMPTS = 3
    for _ in range(3):
        assert fail_log_in(client) == 200
    blocked = client.post("/accounts/login/", {"username": "maria", "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == str(settings.AUTH_THROTTLE_WINDOW_SECONDS)
    assert "Too many failed log-ins to this account from your connection" in blocked.text
    assert not client.get("/").context["user"].is_authenticated
    # The same address may still log in to another account.
    User.objects.create_user("jon", "jon@example.org", PASSWORD)
    other = client.post("/accounts/login/", {"username": "jon", "password": PASSWORD})
    assert other.status_code == 302


def test_a_successful_log_in_clears_only_its_own_count(client, citizen, settings):
    settings.AUTH_THROTTLE_ATTEMPTS = 3
    settings.AUTH_THROTTLE_ADDRESS_ATTEMPTS = 4
    for _ in range(2):
        fail_log_in(client)
    assert (
        client.post("/accounts/login/", {"username": "maria", "password": PASSWORD}).status_code
        == 302
    )
    client.post("/accounts/logout/")
    for _ in range(2):
        assert fail_log_in(client) == 200
    # The address's count was not reset by the success: four failures in all.
    assert fail_log_in(client, "ana") == 429


def test_one_address_trying_many_names_meets_the_looser_address_limit(client, citizen, settings):
    settings.AUTH_THROTTLE_ATTEMPTS = 3
    settings.AUTH_THROTTLE_ADDRESS_ATTEMPTS = 4
    for name in ("ana", "ben", "cai", "dev"):
        assert fail_log_in(client, name) == 200
    blocked = client.post("/accounts/login/", {"username": "maria", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many failed log-ins from your connection" in blocked.text
    elsewhere = Client().post(
        "/accounts/login/", {"username": "maria", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert elsewhere.status_code == 302


def test_a_spoofed_forwarded_for_is_ignored_without_trusted_proxies(client, citizen, settings):
    settings.AUTH_THROTTLE_ATTEMPTS = 3
    for i in range(3):
        assert fail_log_in(client, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}") == 200
    assert fail_log_in(client, HTTP_X_FORWARDED_FOR="192.0.2.99") == 429


def test_the_rightmost_untrusted_forwarded_hop_is_the_client(client, citizen, settings):
    settings.POLITY_TRUSTED_PROXIES = 1
    settings.AUTH_THROTTLE_ATTEMPTS = 3
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # Hops left of the one our proxy wrote are the client's own words: changing them does not
    # give the attacker a fresh count.
    for i in range(3):
        assert (
            fail_log_in(client, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.66", **proxy) == 200
        )
    assert fail_log_in(client, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.66", **proxy) == 429
    # Another citizen behind the same proxy has a count of her own.
    response = Client().post(
        "/accounts/login/",
        {"username": "maria", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert response.status_code == 302


def test_sign_up_is_throttled_per_address(client, settings, db):
    settings.AUTH_THROTTLE_ATTEMPTS = 2
    for i in range(2):
        client.post("/accounts/signup/", {"username": f"u{i}", "email": "bad"})
    response = client.post(
        "/accounts/signup/",
        {
            "username": "late",
            "email": "late@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 429
    assert not User.objects.filter(username="late").exists()


def test_password_reset_by_email(client, citizen):
    response = client.post("/accounts/password-reset/", {"email": "maria@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "a-brand-new-passphrase-7"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(new)


def test_forms_are_protected_by_csrf(citizen):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "maria", "password": PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


@pytest.mark.django_db
def test_roles_exist_with_their_permissions():
    admin = Group.objects.get(name="council_admin")
    assert admin.permissions.filter(codename="manage_elections").exists()
    assert Group.objects.get(name="trustee").permissions.filter(codename="act_as_trustee").exists()
    assert Group.objects.get(name="auditor").permissions.filter(codename="view_audit_data").exists()
    assert (
        not Group.objects.get(name="citizen")
        .permissions.filter(codename="manage_elections")
        .exists()
    )
