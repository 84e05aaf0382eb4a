"""Questions a reviewer asks the physician about a case, and the thread of their answers."""

import pghistory
from django.conf import settings
from django.db import models

from assessment.models import TEXT_MOST_CHARACTERS, Assessment
from assessment.steps import STEPS


def _findings():
    fields = [Assessment._meta.get_field(name) for step in STEPS for name in step.fields]
    return [("", "The case as a whole")] + [
        (field.name, str(field.verbose_name)) for field in fields
    ]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class Query(models.Model):
    """A reviewer's question: open until the physician answers, closed by the reviewer."""

    class Status(models.TextChoices):
        OPEN = "open", "Open: waiting for the physician"
        ANSWERED = "answered", "Answered: waiting for the reviewer"
        CLOSED = "closed", "Closed"

    assessment = models.ForeignKey(
        Assessment,
        # A case with questions stays on record: services.delete_draft refuses it.
        on_delete=models.PROTECT,
        related_name="queries",
        help_text="The case the question is about.",
    )
    finding = models.CharField(
        max_length=60,
        blank=True,
        choices=_findings(),
        help_text="The finding it is about, if one; blank for the case as a whole.",
    )
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.OPEN,
        help_text="Open until the physician answers; the reviewer closes it.",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The reviewer who asked.",
    )
    opened_at = models.DateTimeField(auto_now_add=True, help_text="When it was asked.")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The reviewer who closed it.",
    )
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When it was closed.")

    class Meta:
        verbose_name_plural = "queries"
        ordering = ["opened_at"]
        indexes = [models.Index(fields=["assessment", "status"], name="query_case_status")]

    def __str__(self):
        about = self.get_finding_display() if self.finding else "the case"
        return f"Query on {about} ({self.get_status_display()})"


class QueryMessage(models.Model):
    """One message of a query's thread, the question first. Never changed once written."""

    # An audit table: the app's database role may only read and add rows (dbroles).
    audit_record = True

    query = models.ForeignKey(
        Query,
        on_delete=models.PROTECT,
        related_name="messages",
        help_text="The query it belongs to.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who wrote it: the reviewer or the physician.",
    )
    text = models.TextField(max_length=TEXT_MOST_CHARACTERS, help_text="What they wrote.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When.")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author} at {self.created_at:%Y-%m-%d %H:%M}"
