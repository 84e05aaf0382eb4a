"""Visits in the admin: read by reviewers and admins; entered, edited and signed only by the
physician on the course page, under the engine's checks and the version check."""

from django.contrib import admin

from assessment.admin import ReadOnlyAdmin
from followup.models import FollowUpVisit
from followup.services import VISIT_KEYS


@admin.register(FollowUpVisit)
class FollowUpVisitAdmin(ReadOnlyAdmin):
    list_display = [
        "visit_date",
        "assessment",
        "vegf_value",
        "vegf_unit",
        "vegf_sample",
        "signed_at",
    ]
    list_select_related = ["assessment"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["assessment", "version", "signed_at", "signed_by"]}),
        ("Visit", {"fields": list(VISIT_KEYS)}),
    ]
