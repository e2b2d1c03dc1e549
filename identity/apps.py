from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        from identity.roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="identity.sync_roles")
