"""The log key: generated once (0600, outside the repository) in development, required in production."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from ledger import keys
from ledger.note import Ed25519Signer, generate_signer_key


@pytest.fixture
def fresh(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.LEDGER_SIGNER_KEY = ""
    settings.LEDGER_ORIGIN = "city.example/polity/ledger"
    keys.log_signer.cache_clear()
    yield settings
    keys.log_signer.cache_clear()


def test_development_generates_the_key_once_with_private_permissions(fresh, tmp_path):
    signer = keys.log_signer()
    path = keys.key_path("city.example/polity/ledger")
    assert path.parent == tmp_path / "keys"
    assert path.stat().st_mode & 0o777 == 0o600
    assert signer.name == "city.example/polity/ledger"
    keys.log_signer.cache_clear()
    assert keys.log_verifier_key() == signer.verifier_key()  # read back, not regenerated


def test_the_environment_key_is_used_and_must_name_the_origin(fresh, tmp_path):
    skey, vkey = generate_signer_key("city.example/polity/ledger")
    fresh.LEDGER_SIGNER_KEY = skey
    assert keys.log_verifier_key() == vkey
    assert not (tmp_path / "keys").exists()
    keys.log_signer.cache_clear()
    fresh.LEDGER_SIGNER_KEY, _ = generate_signer_key("elsewhere.example/log")
    with pytest.raises(ImproperlyConfigured, match=r"named 'elsewhere\.example/log'"):
        keys.log_signer()
    keys.log_signer.cache_clear()
    fresh.LEDGER_SIGNER_KEY = "PRIVATE+KEY+nonsense"
    with pytest.raises(ImproperlyConfigured, match="unusable"):
        keys.log_signer()


def test_production_refuses_to_invent_a_key(fresh, tmp_path):
    fresh.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="needs LEDGER_SIGNER_KEY"):
        keys.log_signer()
    assert not (tmp_path / "keys").exists()
    skey, _ = generate_signer_key("city.example/polity/ledger")
    fresh.LEDGER_SIGNER_KEY = skey
    assert isinstance(keys.log_signer(), Ed25519Signer)


def test_ledger_key_command_prints_a_usable_key_pair_and_the_key_in_use(fresh, capsys):
    from django.core.management import call_command

    call_command("ledger_key", "new")
    line, comment = capsys.readouterr().out.strip().split("\n")
    skey = line.removeprefix("LEDGER_SIGNER_KEY=")
    assert Ed25519Signer(skey).verifier_key() == comment.rsplit(" ", 1)[1]
    assert Ed25519Signer(skey).name == "city.example/polity/ledger"
    fresh.LEDGER_SIGNER_KEY = skey
    call_command("ledger_key", "show")
    assert capsys.readouterr().out.strip() == comment.rsplit(" ", 1)[1]
