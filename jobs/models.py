"""A job: bulk work asked for in the admin and done by a worker (procrastinate, README
"Background jobs"), with what a person needs to follow it: its state, its progress, its error,
and its result until that expires."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models


class Job(models.Model):
    class Kind(models.TextChoices):
        CSV_EXPORT = "csv_export", "CSV export (de-identified)"
        FHIR_EXPORT = "fhir_export", "FHIR export (de-identified)"
        PDF_ZIP = "pdf_zip", "PDFs as a zip"
        REEVALUATION = "reevaluation", "Re-evaluation under the current rules"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=16, choices=Kind.choices, help_text="What the job does.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who asked for it: the only person who may download its result.",
    )
    cases = ArrayField(
        models.UUIDField(),
        default=list,
        blank=True,
        help_text="The assessments selected (none for a re-evaluation, which takes every case "
        "stored under other rules).",
    )
    state = models.CharField(
        max_length=16,
        choices=State.choices,
        default=State.QUEUED,
        help_text="Queued until a worker takes it; queued again when a worker stopped under it.",
    )
    done = models.PositiveIntegerField(default=0, help_text="Cases done so far.")
    total = models.PositiveIntegerField(default=0, help_text="Cases to do (0 until counted).")
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times a worker started it (more than once after a retry)."
    )
    error = models.TextField(blank=True, help_text="Why it failed, in the words of the failure.")
    outcome = models.TextField(blank=True, help_text="What it did, in a sentence.")
    result = models.BinaryField(
        null=True, editable=False, help_text="The file it made; deleted when it expires."
    )
    result_name = models.CharField(
        max_length=100, blank=True, help_text="The result's file name, for the download."
    )
    result_content_type = models.CharField(
        max_length=100, blank=True, help_text="The result's media type, for the download."
    )
    result_size = models.PositiveBigIntegerField(
        default=0, help_text="The result's size in bytes (kept after it expires)."
    )
    queue_job_id = models.BigIntegerField(
        null=True, blank=True, help_text="The procrastinate job that runs it."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was asked for.")
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker last started it."
    )
    finished_at = models.DateTimeField(
        null=True, blank=True, help_text="When it succeeded or failed."
    )
    expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its result is deleted (JOBS_RESULT_HOURS after it succeeded).",
    )

    class Meta:
        ordering = ["-created_at"]
        # Who sees a job is decided in its admin (the person who asked); these two go further.
        default_permissions = ()
        permissions = [
            ("view_every_job", "Can see everyone's jobs (not download their results)"),
            ("start_reevaluation", "Can re-evaluate stored cases under the current rules"),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="job_requested_recent"),
            models.Index(
                fields=["expires_at"],
                condition=models.Q(result__isnull=False),
                name="job_result_expiry",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.state == self.State.SUCCEEDED:
            return 100
        return self.done * 100 // self.total if self.total else 0
