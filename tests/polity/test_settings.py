"""Production mode refuses unsafe configuration; development needs no services."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import polity.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_the_development_secret():
    result = load_settings(POLITY_ENV="production", ALLOWED_HOSTS="city.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = load_settings(
        POLITY_ENV="production", SECRET_KEY="x" * 64, DEBUG="1", ALLOWED_HOSTS="a"
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_starts_with_a_real_secret_and_debug_off():
    result = load_settings(
        POLITY_ENV="production",
        SECRET_KEY="k" * 64,
        ALLOWED_HOSTS="city.example",
        DATABASE_URL="postgres://u@db.example:5432/polity",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.postgresql"]


def test_authenticated_smtp_comes_from_the_environment():
    env = {"EMAIL_HOST_USER": "polity", "EMAIL_HOST_PASSWORD": "pw", "EMAIL_USE_TLS": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import polity.settings as s; "
            "print(s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL)",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["polity", "pw", "True", "False"]
    both = load_settings(EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    assert both.returncode != 0
    assert "EMAIL_USE_TLS" in both.stderr


def test_development_defaults_to_sqlite():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import polity.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3"


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(django_user_model):
    user = django_user_model.objects.create_user("zoe", "zoe@example.org", "a-long-passphrase-9")
    assert user.password.startswith("argon2$")


def test_every_response_carries_a_content_security_policy(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
