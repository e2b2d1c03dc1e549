"""Every user-facing string is translated: English plus Spanish, complete."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {
    ".venv",
    "node_modules",
    "var",
    "staticfiles",
    ".git",
    "build",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
}


def test_pages_follow_the_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Propuestas" in html
    assert "Saltar al contenido principal" in html


def test_language_switcher_changes_the_language(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"}, follow=True)
    assert "Iniciar sesión" in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert "Log in" in response.content.decode()


@pytest.mark.slow
def test_spanish_catalogue_is_complete_and_compiled(tmp_path):
    """Re-extract every marked string from a copy of the sources; each must have a translation."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is needed to check the translation catalogue")
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=lambda d, names: [n for n in names if n in SKIP_DIRS])
    for domain, extra in (
        ("django", []),
        ("djangojs", ["-d", "djangojs", "--ignore=static/build/*"]),
    ):
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-obsolete", *extra],
            cwd=copy,
            check=True,
            capture_output=True,
        )
        po_path = copy / "locale" / "es" / "LC_MESSAGES" / f"{domain}.po"
        if not po_path.exists():
            continue
        catalogue = polib.pofile(str(po_path))
        untranslated = [e.msgid for e in catalogue.untranslated_entries()]
        fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
        assert not untranslated, f"{domain}: untranslated strings: {untranslated}"
        assert not fuzzy, f"{domain}: fuzzy strings: {fuzzy}"
        compiled = polib.mofile(str(ROOT / "locale" / "es" / "LC_MESSAGES" / f"{domain}.mo"))
        compiled_ids = {e.msgid for e in compiled}
        stale = [e.msgid for e in catalogue if e.msgid not in compiled_ids]
        assert not stale, f"{domain}.mo is out of date; run compilemessages. Missing: {stale}"
