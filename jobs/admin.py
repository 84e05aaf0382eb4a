"""The jobs in the admin: each person's own jobs, their state and progress (the page follows a
running job by itself), the error of a failed one, and the download of a result until it
expires. Jobs are started from the assessments' actions, and re-evaluation from this list."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jobs import services
from jobs.models import Job

# Seconds between two reloads of a job's page while it is queued or running (a meta refresh:
# the Content Security Policy allows no inline script).
REFRESH_SECONDS = 2


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["job", "requested_by", "state", "progress", "created_at", "finished_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["requested_by"]
    show_full_result_count = False
    fields = [
        "kind",
        "requested_by",
        "state",
        "progress",
        "outcome",
        "error",
        "attempts",
        "result_file",
        "created_at",
        "started_at",
        "finished_at",
        "expires_at",
    ]
    readonly_fields = fields
    change_form_template = "admin/jobs/job/change_form.html"
    change_list_template = "admin/jobs/job/change_list.html"

    # A job is asked for from the assessments' actions, done by a worker, and kept as a record.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        if obj is not None:
            return services.may_view(request.user, obj)
        return request.user.has_perm("jobs.view_every_job") or any(
            request.user.has_perm(permission) for permission in services.PERMISSIONS.values()
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_reevaluation_permission(self, request):
        return request.user.has_perm("jobs.start_reevaluation")

    def get_queryset(self, request):
        jobs = super().get_queryset(request).defer("result")
        if request.user.has_perm("jobs.view_every_job"):
            return jobs
        return jobs.filter(requested_by=request.user)

    @admin.display(description="job", ordering="-created_at")
    def job(self, job):
        return str(job)

    @admin.display(description="progress")
    def progress(self, job):
        if job.total == 0 and job.state != Job.State.SUCCEEDED:
            return "—"
        return f"{job.done:,} of {job.total:,} cases ({job.percent}%)"

    @admin.display(description="result")
    def result_file(self, job):
        if services.downloadable(job):
            return format_html(
                "{} ({} kB), until {}",
                job.result_name,
                f"{job.result_size / 1000:,.0f}",
                f"{timezone.localtime(job.expires_at):%Y-%m-%d %H:%M}",
            )
        if job.result_name:
            return f"{job.result_name}: expired, deleted"
        return "None"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        if job is not None:
            extra_context = {
                **(extra_context or {}),
                "job": job,
                "refresh_seconds": None if job.is_finished else REFRESH_SECONDS,
                "can_download": services.downloadable(job)
                and services.may_download(request.user, job),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_reevaluate": self.has_reevaluation_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/result/",
                view(self.result_view),
                name="jobs_job_result",
            ),
            path(
                "reevaluate/",
                view(require_POST(self.reevaluate_view)),
                name="jobs_job_reevaluate",
            ),
            *super().get_urls(),
        ]

    def result_view(self, request, object_id):
        """The job's file, to the person who asked for it, until it expires."""
        job = get_object_or_404(Job.objects.defer("result"), pk=object_id)
        if not services.may_download(request.user, job):
            raise PermissionDenied
        if not services.downloadable(job):
            self.message_user(
                request, f"{job} has no result to download (failed, or expired).", messages.ERROR
            )
            return redirect(reverse("admin:jobs_job_change", args=[job.pk]))
        return HttpResponse(
            services.result_of(job),
            content_type=job.result_content_type,
            headers={"Content-Disposition": content_disposition_header(True, job.result_name)},
        )

    def reevaluate_view(self, request):
        if not self.has_reevaluation_permission(request):
            raise PermissionDenied
        return started(self, request, services.start(Job.Kind.REEVALUATION, request.user))


def started(model_admin, request, job: Job):
    """The answer to starting a job: its page, which follows it until it is done."""
    model_admin.message_user(
        request, f"{job} is queued: this page follows it until it is done.", messages.SUCCESS
    )
    return redirect(reverse("admin:jobs_job_change", args=[job.pk]))
