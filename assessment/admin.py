"""The admin: review and correct cases, unlock signed ones, read the audit trail.

The admin decides nothing itself. Its fieldsets are the app's steps, its form is the app's
step form (so the engine refuses the same contradictions), and every change goes through
`assessment.services`, as the app's own views do.
"""

import uuid

import pghistory.models
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from pghistory.admin import EventModelAdmin

from assessment import dictionary, imports, pdf, services
from assessment.counts import count_assessments
from assessment.criteria import FINDINGS
from assessment.forms import StepForm, finding_field
from assessment.models import (
    NOT_ASSESSED,
    AccessEvent,
    Assessment,
    AssessmentEvent,
    RuleChangeNotice,
    SignedDocument,
)
from assessment.rendering import LeanRenderer
from assessment.steps import STEPS, Section, Step
from assessment.summary import summary_context
from assessment.wording import choice_label
from jobs import services as job_services
from jobs.admin import started
from jobs.models import Job
from jobs.work import MOST_PDFS
from review import services as review_services
from review.models import Query

REVIEW_FIELDS = ("review_status", "review_comment")
STEP_FIELDS = tuple(name for step in STEPS for name in step.fields)
RECORD_FIELDS = (
    "owner",
    "status",
    "current_version",
    "primary_verdict",
    "japan_result",
    "criteria_version",
    "warnings",
    "signature",
    "withdrawal",
)
# Columns whose change is noise in the history: every save moves them.
_UNSHOWN_IN_HISTORY = {"updated_at", "version"}
HISTORY_LIMIT = 50


class AssessmentAdminForm(StepForm):
    """The app's step form over every step at once: the same engine check, the same errors.

    `version` (hidden, from StepForm) carries the version the page showed, so a save over a
    physician's newer save is refused as the app refuses it.
    """

    # Its ninety labels and widgets, drawn without Django's templates (the same markup).
    default_renderer = LeanRenderer()

    def __init__(self, *args, **kwargs):
        # Only the fields this form has: a locked case's form has no step field at all.
        shown = tuple(name for name in STEP_FIELDS if name in self.base_fields)
        step = Step("admin", "All steps", "", (Section("", shown),))
        super().__init__(*args, step=step, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if (
            "review_status" in self.changed_data
            and cleaned.get("review_status") == Assessment.ReviewStatus.REVIEWED
            and services.has_unclosed_queries(self.instance)
        ):
            self.add_error(
                "review_status", "A query is not closed yet: close it before marking reviewed."
            )
        if changed_findings(self) and not self._is_current(cleaned):
            self.add_error(
                None,
                "This assessment was saved elsewhere since this page was opened: reload it "
                "and make the change again.",
            )
        return cleaned

    def _is_current(self, cleaned) -> bool:
        # The admin's change view runs in a transaction: the row stays locked until saved.
        current = (
            Assessment.objects.select_for_update()
            .values_list("version", flat=True)
            .get(pk=self.instance.pk)
        )
        return cleaned.get("version") == current

    def _check_with_the_engine(self, cleaned):
        # A locked case's form holds no finding; the stored ones were checked when saved.
        if any(name in FINDINGS for name in self.step.fields):
            super()._check_with_the_engine(cleaned)


def changed_findings(form) -> set[str]:
    """The step fields the admin changed; the hidden version and the review are not findings."""
    return set(form.changed_data) - {"version", *REVIEW_FIELDS}


class OfferedFiltersOnly:
    """A list takes from its address only the filters it offers: any other lookup (an array's
    __contains, say) would reach PostgreSQL unchecked, and a malformed value be a 500."""

    def lookup_allowed(self, lookup, value, request=None):
        offered = set()
        for item in self.list_filter:
            if isinstance(item, type):
                offered.add(item.parameter_name)
            else:
                offered.add(item if isinstance(item, str) else item[0])
        field = lookup.split("__")[0]
        return (lookup in offered or field in offered) and super().lookup_allowed(
            lookup, value, request
        )


class ArchivePaginator(Paginator):
    """Counts the unfiltered list from the triggers' rows instead of scanning the whole archive,
    which took longer with every case; a filtered or searched list counts what it matches."""

    @cached_property
    def count(self) -> int:
        if self.object_list.query.where:
            return super().count
        return count_assessments()


class ChangedByRuleRevisionFilter(admin.SimpleListFilter):
    title = "changed by a rule revision"
    parameter_name = "rule_revision"

    def lookups(self, request, model_admin):
        return [("unseen", "Yes, not yet read by the physician"), ("any", "Yes, read or not")]

    def queryset(self, request, queryset):
        notices = RuleChangeNotice.objects.filter(assessment=OuterRef("pk"))
        if self.value() == "unseen":
            return queryset.filter(Exists(notices.filter(seen_at__isnull=True)))
        if self.value() == "any":
            return queryset.filter(Exists(notices))
        return queryset


class UnlockForm(forms.Form):
    # Not required here: services.unlock refuses a blank reason in its own words.
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        required=False,
        help_text="Kept in the audit trail with your name.",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="In the export's format (see the data dictionary); at most "
        f"{imports.MOST_BYTES // 1024 // 1024} MB.",
    )
    physician = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        help_text="The cases become this physician's drafts.",
    )


@admin.register(Assessment)
class AssessmentAdmin(OfferedFiltersOnly, admin.ModelAdmin):
    form = AssessmentAdminForm
    list_display = [
        "patient_reference",
        "owner",
        "assessed_on",
        "status",
        "primary_verdict",
        "review_status",
        "signed",
        "updated",
    ]
    list_filter = [
        "primary_verdict",
        "status",
        "review_status",
        "owner",
        ("assessment_date", admin.DateFieldListFilter),
        ChangedByRuleRevisionFilter,
    ]
    # Any part of a reference: "V24" finds DEMO-V24 (a trigram index serves it).
    search_fields = ["patient_reference"]
    search_help_text = "Any part of a patient reference (MRN or study code)."
    show_full_result_count = False
    list_select_related = ["owner", "reviewed_by", "signed_by"]
    list_per_page = 50
    paginator = ArchivePaginator
    actions = ["mark_reviewed", "download_pdfs", "export_csv", "export_fhir"]
    change_form_template = "admin/assessment/assessment/change_form.html"
    change_list_template = "admin/assessment/assessment/change_list.html"

    # Physicians start assessments in the app; the admin reviews and corrects them.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.status != Assessment.Status.DRAFT or obj.is_locked):
            return False
        return super().has_delete_permission(request, obj)

    def response_action(self, request, queryset):
        # Ids are UUIDs: anything else selected would be a database error, not a refusal.
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                uuid.UUID(value)
        except ValueError:
            self.message_user(request, "The selection names no assessment.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def get_actions(self, request):
        # The bulk delete would skip services.delete_draft and delete complete cases too.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The app's finding fields, as drop-downs: a page of every step would otherwise hold
        # some 230 radio buttons.
        if db_field.name in FINDINGS:
            return finding_field(db_field.name, radios=False)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        # Collapsed: the evaluation above them says what they amount to. Django opens a
        # fieldset that holds an error.
        steps = [
            (
                step.title,
                {"fields": step.fields, "description": step.guidance, "classes": ["collapse"]},
            )
            for step in STEPS
        ]
        # The hidden version the page was opened at, for the stale-save check.
        title, options = steps[0]
        steps[0] = (title, {**options, "fields": ("version", *options["fields"])})
        return [
            ("Record", {"fields": RECORD_FIELDS}),
            ("Review", {"fields": (*REVIEW_FIELDS, "reviewed_by", "reviewed_at")}),
            *steps,
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = [*RECORD_FIELDS, "reviewed_by", "reviewed_at"]
        if obj is not None and obj.is_locked:
            readonly += STEP_FIELDS
        if not self.has_review_permission(request):
            readonly += REVIEW_FIELDS
        return readonly

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    def action_checkbox(self, obj):
        # Django's markup, formatted directly: Django renders this checkbox through the form
        # templates, once per row, which took about an eighth of the changelist's time.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="Select this object for an action - {}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            obj,
        )

    # Dates as the app shows them (ISO), formatted directly: localizing them took about a
    # tenth of the list's time.
    @admin.display(description="assessment date", ordering="assessment_date")
    def assessed_on(self, obj):
        return f"{obj.assessment_date:%Y-%m-%d}"

    @admin.display(description="updated at", ordering="updated_at")
    def updated(self, obj):
        return f"{timezone.localtime(obj.updated_at):%Y-%m-%d %H:%M}"

    @admin.display(boolean=True, ordering="signed_at")
    def signed(self, obj):
        return obj.signed_at is not None

    @admin.display(description="version")
    def current_version(self, obj):
        return obj.version

    @admin.display(description="warnings at the last save")
    def warnings(self, obj):
        return ", ".join(obj.warning_ids) or "None"

    @admin.display
    def signature(self, obj):
        if obj.signed_at is None:
            return "Not signed"
        # Formatted first: format_html escapes its arguments into strings.
        return format_html(
            "by {} on {}; findings SHA-256 <code>{}</code>; signed verdict {} (criteria {})",
            obj.signed_by,
            f"{obj.signed_at:%Y-%m-%d %H:%M}",
            obj.signed_findings_sha256,
            obj.get_signed_primary_verdict_display() or "not recorded",
            obj.signed_criteria_version or "not recorded",
        )

    @admin.display
    def withdrawal(self, obj):
        if obj.withdrawn_at is None:
            return "Not withdrawn"
        return (
            f"by {obj.withdrawn_by} on {obj.withdrawn_at:%Y-%m-%d %H:%M}: {obj.withdrawal_reason}"
        )

    def save_model(self, request, obj, form, change):
        if changed_findings(form):
            services.record(obj, previous_sex=form.initial.get("sex", NOT_ASSESSED))
        if set(form.changed_data) & set(REVIEW_FIELDS):
            if not self.has_review_permission(request):
                raise PermissionDenied
            services.review(obj, request.user, obj.review_status, obj.review_comment)

    def delete_model(self, request, obj):
        services.delete_draft(obj)

    # Each action and custom view declares the permission it needs (and Django offers an
    # action only to those who have it): view for reading, the Meta's own for the rest.
    def has_review_permission(self, request):
        return request.user.has_perm("assessment.review_assessment")

    def has_unlock_permission(self, request):
        return request.user.has_perm("assessment.unlock_assessment")

    def has_export_permission(self, request):
        return request.user.has_perm("assessment.export_assessments")

    def has_import_permission(self, request):
        return request.user.has_perm("assessment.import_assessments")

    @admin.action(description="Mark selected as reviewed", permissions=["review"])
    def mark_reviewed(self, request, queryset):
        reviewed, refused = 0, []
        for assessment in queryset:
            try:
                services.review(
                    assessment,
                    request.user,
                    Assessment.ReviewStatus.REVIEWED,
                    assessment.review_comment,
                )
            except services.Refused:
                refused.append(str(assessment))
            else:
                reviewed += 1
        self.message_user(request, f"{reviewed} assessment(s) marked as reviewed.")
        if refused:
            self.message_user(
                request,
                f"Not marked, a query being open: {', '.join(refused)}.",
                messages.WARNING,
            )

    # Exports and PDF zips are jobs: queued here, done by a worker, followed on the job's page
    # (jobs app). They are de-identified: cases are named by their ids, not the reference.
    @admin.action(description="Download PDFs as zip", permissions=["export"])
    def download_pdfs(self, request, queryset):
        if queryset.count() > MOST_PDFS:
            self.message_user(
                request,
                f"Select at most {MOST_PDFS} assessments: each PDF takes a moment.",
                messages.ERROR,
            )
            return None
        return self._start_job(request, Job.Kind.PDF_ZIP, queryset)

    @admin.action(description="Export CSV (de-identified)", permissions=["export"])
    def export_csv(self, request, queryset):
        return self._start_job(request, Job.Kind.CSV_EXPORT, queryset)

    @admin.action(description="Export FHIR (de-identified)", permissions=["export"])
    def export_fhir(self, request, queryset):
        return self._start_job(request, Job.Kind.FHIR_EXPORT, queryset)

    def _start_job(self, request, kind, queryset):
        return started(self, request, job_services.start(kind, request.user, queryset))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET" and self.has_view_permission(request, obj):
            services.record_access(obj, request.user, AccessEvent.Kind.ADMIN)
        if obj is not None:
            extra_context = {
                **(extra_context or {}),
                "summary": summary_context(obj),
                "history": history_of(obj),
                "signed_documents": obj.signed_documents.defer("pdf").select_related("signed_by"),
                "queries": review_services.threads(obj),
                "query_findings": Query._meta.get_field("finding").choices,
                "can_review": self.has_review_permission(request),
                "history_limit": HISTORY_LIMIT,
                "can_unlock": obj.signed_at is not None and self.has_unlock_permission(request),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("overview/", view(self.overview_view), name="assessment_assessment_overview"),
            path("import/", view(self.import_view), name="assessment_assessment_import"),
            path(
                "data-dictionary/",
                view(self.data_dictionary_view),
                name="assessment_assessment_data_dictionary",
            ),
            path(
                "<path:object_id>/unlock/",
                view(self.unlock_view),
                name="assessment_assessment_unlock",
            ),
            path(
                "<path:object_id>/signed/<int:document_id>/",
                view(self.signed_document_view),
                name="assessment_assessment_signed_document",
            ),
            *super().get_urls(),
        ]

    def signed_document_view(self, request, object_id, document_id):
        """A PDF as it was signed, the current signature's or an earlier one's."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = get_object_or_404(SignedDocument, pk=document_id, assessment_id=object_id)
        services.record_access(document.assessment, request.user, AccessEvent.Kind.PDF)
        name = pdf.pdf_filename(document.assessment).removesuffix(".pdf")
        disposition = content_disposition_header(
            True, f"{name}-signed-{document.signed_at:%Y%m%d-%H%M%S}.pdf"
        )
        return HttpResponse(
            bytes(document.pdf),
            content_type="application/pdf",
            headers={"Content-Disposition": disposition},
        )

    def unlock_view(self, request, object_id):
        if not self.has_unlock_permission(request):
            raise PermissionDenied
        assessment = get_object_or_404(Assessment, pk=object_id)
        change_url = reverse("admin:assessment_assessment_change", args=[assessment.pk])
        form = UnlockForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.unlock(assessment, request.user, form.cleaned_data["reason"])
            except services.Refused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                self.message_user(request, f"{assessment} is unlocked.", messages.SUCCESS)
                return redirect(change_url)
        return TemplateResponse(
            request,
            "assessment/admin/unlock.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"Unlock {assessment}",
                "assessment": assessment,
                "form": form,
                "change_url": change_url,
            },
        )

    def overview_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "assessment/admin/overview.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Assessments overview",
                "by_verdict": bars(counts_by(Assessment.Verdict, "primary_verdict")),
                "by_status": bars(counts_by(Assessment.Status, "status")),
                "top_warnings": bars(top_warnings()),
            },
        )

    def data_dictionary_view(self, request):
        """What each CSV column means, as a page or (`?format=csv`) as CSV."""
        if not (self.has_view_permission(request) or self.has_export_permission(request)):
            raise PermissionDenied
        if request.GET.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="poems-data-dictionary.csv"'
            dictionary.write_csv(response)
            return response
        return TemplateResponse(
            request,
            "assessment/admin/data_dictionary.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Data dictionary of the CSV export",
                "columns": dictionary.COLUMNS,
                "rows": [entry.as_row() for entry in dictionary.entries()],
            },
        )

    def import_view(self, request):
        """Upload a CSV in the export's format: every row checked, all imported or none."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ImportForm(request.POST, request.FILES) if posted else ImportForm()
        problems = []
        if posted and form.is_valid():
            upload, physician = form.cleaned_data["file"], form.cleaned_data["physician"]
            try:
                if upload.size > imports.MOST_BYTES:
                    raise imports.ImportRefused.too_large(upload.size)
                created = imports.import_cases(
                    upload.read(),
                    physician,
                    source=f"admin upload {upload.name[:100]}",
                    imported_by=request.user.username,
                )
            except imports.ImportRefused as refusal:
                problems = refusal.problems
            else:
                self.message_user(
                    request,
                    f"Imported {len(created)} draft assessment(s) for {physician.username}.",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:assessment_assessment_changelist"))
        refused = posted and (problems or not form.is_valid())
        return TemplateResponse(
            request,
            "assessment/admin/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Import cases",
                "form": form,
                "problems": problems,
            },
            status=400 if refused else 200,
        )


def counts_by(choices, field: str) -> list[tuple[str, int]]:
    """Every choice with its number of assessments, zeros included, in the choices' order."""
    counted = dict(Assessment.objects.values_list(field).annotate(n=Count("pk")).order_by())
    return [(label, counted.get(value, 0)) for value, label in choices.choices]


def top_warnings(limit: int = 10) -> list[tuple[str, int]]:
    """The most frequent warning ids at the assessments' last saves, most frequent first."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT warning, COUNT(*) AS n FROM {Assessment._meta.db_table}, "  # noqa: S608
            "unnest(warning_ids) AS warning GROUP BY warning ORDER BY n DESC, warning LIMIT %s",
            [limit],
        )
        return cursor.fetchall()


def bars(counts: list[tuple[str, int]]) -> list[dict]:
    """Each label with its count and its bar's width, as a share of the largest count."""
    largest = max((n for _, n in counts), default=0) or 1
    return [
        {"label": label, "count": n, "percent": round(100 * n / largest)} for label, n in counts
    ]


def history_of(assessment: Assessment) -> list[dict]:
    """The assessment's events, newest first: when, who, what, and each change from → to.

    pghistory's aggregate Events query diffs each event against the one before it in SQL.
    """
    events = list(
        pghistory.models.Events.objects.tracks(assessment)
        .across(AssessmentEvent)
        .order_by("-pgh_id")[:HISTORY_LIMIT]
    )
    users = _users_named_in(events)
    return [
        {
            "at": event.pgh_created_at,
            "label": event.pgh_label,
            "user": users.get((event.pgh_context or {}).get("user")),
            "context": _context_notes(event.pgh_context or {}, users),
            "changes": _changes(event.pgh_diff or {}, users),
        }
        for event in events
    ]


_FIELDS_BY_COLUMN = {field.column: field for field in Assessment._meta.concrete_fields}
_USER_COLUMNS = {
    field.column
    for field in Assessment._meta.concrete_fields
    if field.is_relation and field.related_model is get_user_model()
}


# Context keys that hold a user's id (services.unlock's, HistoryMiddleware's): shown by name.
_USER_CONTEXT_KEYS = ("user", "unlocked_by")


def _users_named_in(events) -> dict:
    """Every user an event names (its context's user, a changed signer...), in one query."""
    ids = set()
    for event in events:
        ids.update((event.pgh_context or {}).get(key) for key in _USER_CONTEXT_KEYS)
        for column, values in (event.pgh_diff or {}).items():
            if column in _USER_COLUMNS:
                ids.update(values)
    ids.discard(None)
    return {user.pk: user for user in get_user_model().objects.filter(pk__in=ids)}


def _context_notes(context: dict, users: dict) -> list[tuple[str, object]]:
    """What the context adds beyond the user, such as the URL and an unlock reason; a user
    by their name, not their id."""
    return [
        (key.replace("_", " "), users.get(value, value) if key in _USER_CONTEXT_KEYS else value)
        for key, value in context.items()
        if key != "user"
    ]


def _changes(diff: dict, users: dict) -> list[tuple[str, object, object]]:
    def shown(field, value):
        if value is None or value in ("", []):
            return "—"
        if field.column in _USER_COLUMNS:
            return users.get(value, value)
        return choice_label(field, value) if field.choices else value

    changes = []
    for column, (before, after) in sorted(diff.items()):
        field = _FIELDS_BY_COLUMN.get(column)
        if field is None or column in _UNSHOWN_IN_HISTORY:
            continue
        changes.append((field.verbose_name, shown(field, before), shown(field, after)))
    return changes


class ReadOnlyAdmin(OfferedFiltersOnly, admin.ModelAdmin):
    """Audit rows: admins read them; nobody adds, changes or deletes them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(OfferedFiltersOnly, EventModelAdmin):
    list_display = ["when", "event", "patient_reference", "assessment", "context"]
    list_select_related = ["pgh_obj", "pgh_context"]
    show_full_result_count = False

    @admin.display(description="when", ordering="pgh_created_at")
    def when(self, event):
        return f"{timezone.localtime(event.pgh_created_at):%Y-%m-%d %H:%M:%S}"

    @admin.display(description="event", ordering="pgh_label")
    def event(self, event):
        return event.pgh_label

    @admin.display(description="assessment")
    def assessment(self, event):
        return event.pgh_obj

    @admin.display(description="who and where")
    def context(self, event):
        metadata = event.pgh_context.metadata if event.pgh_context else {}
        return ", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in metadata.items())


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "user", "assessment"]
    list_filter = ["kind"]
    list_select_related = ["user", "assessment"]
    show_full_result_count = False


@admin.register(RuleChangeNotice)
class RuleChangeNoticeAdmin(ReadOnlyAdmin):
    """What `manage.py reevaluate` changed, and whether the physician has read it."""

    list_display = ["created_at", "assessment", "primary_before", "primary_after", "seen_at"]
    list_filter = [("seen_at", admin.EmptyFieldListFilter), "changed_on"]
    list_select_related = ["assessment"]
    show_full_result_count = False


@admin.register(pghistory.models.Context)
class ContextAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "id", "metadata"]
    show_full_result_count = False
