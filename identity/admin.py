from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from identity.models import District, User


@admin.register(User)
class PolityUserAdmin(UserAdmin):
    list_display = ["username", "public_alias", "email", "is_staff", "is_active"]
    readonly_fields = ["public_alias"]
    fieldsets = (*UserAdmin.fieldsets, ("Polity", {"fields": ["public_alias"]}))


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
