"""Django admin for elections: read-only. Every change goes through the services (and the
council admins' pages), which check the rules and anchor each step on the ledger."""

from django.contrib import admin
from django.http import HttpRequest

from voting.models import AuditedBallot, Ballot, Election, TallyJob, Trustee


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class TrusteeInline(admin.TabularInline):
    model = Trustee
    fields = ["index", "user", "posted_at", "shares_posted_at", "verdict", "complaint_against"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Election)
class ElectionAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "state", "district", "opens_at", "closes_at", "created_at"]
    list_filter = ["state", "district"]
    search_fields = ["title"]
    inlines = [TrusteeInline]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["tracker", "election", "cast_at", "superseded"]
    list_filter = ["election", "superseded"]
    search_fields = ["tracker"]
    exclude = ["payload"]


@admin.register(AuditedBallot)
class AuditedBallotAdmin(ReadOnlyAdmin):
    list_display = ["tracker", "election", "audited_at"]
    list_filter = ["election"]
    search_fields = ["tracker"]


@admin.register(TallyJob)
class TallyJobAdmin(ReadOnlyAdmin):
    list_display = ["election", "state", "ballots", "chunks_total", "started_at", "finished_at"]
    list_filter = ["state"]
    exclude = ["encrypted_tally"]
