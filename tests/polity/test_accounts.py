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


def test_log_in_is_throttled_after_repeated_failures(client, citizen, settings):
    settings.AUTH_THROTTLE_ATTEMPTS = 3
    for _ in range(3):
        assert (
            client.post("/accounts/login/", {"username": "maria", "password": "wrong"}).status_code
            == 200
        )
    blocked = client.post("/accounts/login/", {"username": "maria", "password": PASSWORD})
    assert blocked.status_code == 429
    assert not client.get("/").context["user"].is_authenticated


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
