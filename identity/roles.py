"""The four roles as Django groups, and the permissions each one carries.

Roles are data, not code paths: views check permissions (``user.has_perm(...)``), and this table
says which group holds which permission. ``sync_roles`` runs after every migration, so a permission
added by a later app is granted as soon as it exists.
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

CITIZEN = "citizen"
COUNCIL_ADMIN = "council_admin"
TRUSTEE = "trustee"
AUDITOR = "auditor"

ROLE_LABELS = {
    CITIZEN: _("Citizen"),
    COUNCIL_ADMIN: _("Council admin"),
    TRUSTEE: _("Trustee"),
    AUDITOR: _("Auditor"),
}

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CITIZEN: [],
    COUNCIL_ADMIN: [
        "identity.manage_proposals",
        "identity.manage_elections",
        "identity.verify_residents",
        "identity.moderate_feedback",
        "identity.view_audit_data",
    ],
    TRUSTEE: ["identity.act_as_trustee"],
    AUDITOR: ["identity.view_audit_data"],
}


def sync_roles(**kwargs: object) -> None:
    """Create the role groups and give each exactly the permissions that exist of its list."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.add(*wanted)
