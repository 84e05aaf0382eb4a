"""The reviewer's side of queries, in the admin: ask, reply, close; and every query listed.

The forms sit on the assessment's change page (templates/review/admin/_query_forms.html); the
views here do the work through review.services, each asking the reviewer's permission.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from assessment.models import Assessment
from assessment.services import Refused
from review import services
from review.models import Query, QueryMessage

REVIEW_PERMISSION = "assessment.review_assessment"


class MessageInline(admin.TabularInline):
    model = QueryMessage
    fields = ["created_at", "author", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Query)
class QueryAdmin(admin.ModelAdmin):
    list_display = ["opened_at", "assessment", "finding", "status", "opened_by", "closed_at"]
    list_filter = ["status"]
    list_select_related = ["assessment", "opened_by"]
    readonly_fields = [
        "assessment",
        "finding",
        "status",
        "opened_by",
        "opened_at",
        "closed_by",
        "closed_at",
    ]
    inlines = [MessageInline]
    show_full_result_count = False

    def lookup_allowed(self, lookup, value, request=None):
        return lookup.split("__")[0] == "status" and super().lookup_allowed(lookup, value, request)

    # Queries are asked, answered and closed through the case, never edited here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("ask/<uuid:assessment_id>/", view(self.ask_view), name="review_query_ask"),
            path("<int:query_id>/reply/", view(self.reply_view), name="review_query_reply"),
            path("<int:query_id>/close/", view(self.close_view), name="review_query_close"),
            *super().get_urls(),
        ]

    def _check(self, request):
        if not request.user.has_perm(REVIEW_PERMISSION):
            raise PermissionDenied

    def _back(self, assessment_id):
        return redirect("admin:assessment_assessment_change", assessment_id)

    def _done(self, request, action, *args):
        try:
            action(*args)
        except Refused as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            self.message_user(request, "Done: the physician sees it on the case's summary.")

    @staticmethod
    def _text(request):
        return request.POST.get("text", "")

    @method_decorator(require_POST)
    def ask_view(self, request, assessment_id):
        self._check(request)
        assessment = get_object_or_404(Assessment, pk=assessment_id)
        finding = request.POST.get("finding", "")
        if finding not in dict(Query._meta.get_field("finding").choices):
            finding = ""
        self._done(
            request, services.open_query, assessment, request.user, self._text(request), finding
        )
        return self._back(assessment.pk)

    @method_decorator(require_POST)
    def reply_view(self, request, query_id):
        self._check(request)
        query = get_object_or_404(Query, pk=query_id)
        self._done(request, services.reply, query, request.user, self._text(request))
        return self._back(query.assessment_id)

    @method_decorator(require_POST)
    def close_view(self, request, query_id):
        self._check(request)
        query = get_object_or_404(Query, pk=query_id)
        self._done(request, services.close, query, request.user)
        return self._back(query.assessment_id)
