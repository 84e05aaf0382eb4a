from django.contrib import admin, messages

from api import tokens
from api.models import ApiToken
from assessment.admin import OfferedFiltersOnly


@admin.register(ApiToken)
class ApiTokenAdmin(OfferedFiltersOnly, admin.ModelAdmin):
    """Physicians' API tokens, to see who has which and revoke one that leaked; nobody creates
    one here (only its owner, on the account page, sees the token) or edits it."""

    list_display = ["name", "owner", "prefix", "scope", "created_at", "expires_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["owner"]
    search_fields = ["name", "prefix", "owner__username"]
    fields = ["owner", "name", "prefix", "scope", "created_at", "expires_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the selected API tokens", permissions=["change"])
    def revoke(self, request, queryset):
        revoked = [tokens.revoke_token(token) for token in queryset.filter(revoked_at=None)]
        self.message_user(request, f"{len(revoked)} token(s) revoked.", messages.SUCCESS)
