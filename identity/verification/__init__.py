"""Pluggable ways to verify residents, in the manner of Decidim's authorization handlers.

A handler has a ``name`` (its URL slug), a ``label`` and ``description`` for people, a Django
``form_class`` that validates what the citizen enters (and uploads), and ``submit(user=, data=)``
which acts on the cleaned data through ``identity.services`` and returns an ``Outcome``.
The wallet page and the API (``POST /api/identity/verification/<name>``) list and use every
registered handler; adding a way to verify is one module with ``@register``.
"""

from dataclasses import dataclass
from typing import ClassVar

from django import forms

from identity.models import Residency, User, VerificationRequest


@dataclass
class Outcome:
    """``verified``: a residency exists now; otherwise ``request`` awaits an official."""

    verified: bool
    residency: Residency | None = None
    request: VerificationRequest | None = None


class VerificationHandler:
    name: ClassVar[str]
    label: ClassVar[str]
    description: ClassVar[str]
    form_class: ClassVar[type[forms.Form]]

    def submit(self, *, user: User, data: dict) -> Outcome:
        raise NotImplementedError


_HANDLERS: dict[str, VerificationHandler] = {}


def register(handler_class: type[VerificationHandler]) -> type[VerificationHandler]:
    if handler_class.name in _HANDLERS:
        raise ValueError(f"verification handler {handler_class.name!r} registered twice")
    _HANDLERS[handler_class.name] = handler_class()
    return handler_class


def handlers() -> list[VerificationHandler]:
    _load()
    return list(_HANDLERS.values())


def get_handler(name: str) -> VerificationHandler | None:
    _load()
    return _HANDLERS.get(name)


def _load() -> None:
    from identity.verification import census_match, manual_review  # noqa: F401 - registers
