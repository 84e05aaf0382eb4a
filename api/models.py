"""Personal API tokens: what another program presents to act for one physician."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone

from assessment.models import no_control_characters


# Created and revoked, never changed otherwise; the audit trail keeps each state, not the hash.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    exclude=["secret_sha256"],
    append_only=True,
)
class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read: list and read assessments, evaluate findings"
        READ_WRITE = "read_write", "Read and write: also create assessments and change findings"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="The physician the token acts for: it reaches their assessments only.",
    )
    name = models.CharField(
        max_length=64,
        validators=[no_control_characters],
        help_text="What the token is for (the program using it), as the audit trail names it.",
    )
    prefix = models.CharField(
        max_length=16,
        unique=True,
        editable=False,
        help_text="The token's first characters, shown to tell tokens apart; not a secret.",
    )
    secret_sha256 = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="SHA-256 of the whole token: the token itself is shown once and not kept.",
    )
    scope = models.CharField(
        max_length=16,
        choices=Scope.choices,
        default=Scope.READ,
        help_text="Read only, or read and write.",
    )
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, help_text="When the token was created."
    )
    expires_at = models.DateTimeField(help_text="After this the token is refused.")
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the physician revoked it; refused from then on."
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE

    def is_usable(self, now=None) -> bool:
        return self.revoked_at is None and (now or timezone.now()) < self.expires_at


class RequestCount(models.Model):
    """The API's throttle: how many requests a physician made in the current window.

    One row per physician, counted by one atomic statement (api/throttle.py), so every web
    process shares it without a race and a request costs one round trip.
    """

    physician = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        help_text="Whose requests, through any of their tokens or their session.",
    )
    window = models.BigIntegerField(
        help_text="Which window of the rate's period this is: Unix time // period, in seconds."
    )
    count = models.PositiveIntegerField(help_text="Requests in that window so far.")

    class Meta:
        verbose_name = "API request count"

    def __str__(self):
        return f"{self.count} in window {self.window}"
