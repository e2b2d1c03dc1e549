"""People and places: accounts with a public alias, and the city's districts."""

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_public_alias() -> str:
    """A random, stable pseudonym; public pages show it instead of a name."""
    return "c-" + secrets.token_hex(5)


class User(AbstractUser):
    """An account. Public pages and the ledger only ever see ``public_alias``."""

    email = models.EmailField(_("email address"), unique=True)
    public_alias = models.CharField(
        _("public alias"), max_length=32, unique=True, default=new_public_alias, editable=False
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [
            ("manage_proposals", _("Create and schedule proposals and projects")),
            ("manage_elections", _("Create, open and close elections")),
            ("verify_residents", _("Verify residents and issue credentials")),
            ("act_as_trustee", _("Take part in key ceremonies and decryptions")),
            ("view_audit_data", _("Read audit data and run audits")),
            ("moderate_feedback", _("Moderate citizen feedback")),
        ]

    def __str__(self) -> str:
        return self.public_alias


class District(models.Model):
    """A district of the city; credentials and district-scoped votes refer to its number."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["number"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return f"{self.number} · {self.name}"
