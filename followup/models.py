"""A follow-up visit of an assessed patient (followup.md 3.2): what was measured, as entered.

Field names are the follow-up engine's visit fields. Nothing here checks a value: the engine
decides what a visit may hold (followup.md 3.3), in the context of the baseline and the other
visits, and the form shows its refusals.
"""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from assessment.models import NOT_ASSESSED, TEXT_MOST_CHARACTERS, Assessment

_NOT_ASSESSED = (NOT_ASSESSED, "Not assessed")
_YES_NO = [_NOT_ASSESSED, ("yes", "Yes"), ("no", "No")]
_TESTED = [
    _NOT_ASSESSED,
    ("positive", "Positive"),
    ("negative", "Negative"),
    ("not_done", "Not done"),
]

TREATMENT_LABELS = {
    "none": "None",
    "radiation": "Radiation",
    "asct": "High-dose melphalan with autologous stem-cell transplant",
    "alkylator_non_transplant": "Alkylator, without transplant",
    "lenalidomide": "Lenalidomide",
    "thalidomide": "Thalidomide",
    "bortezomib": "Bortezomib",
    "daratumumab": "Daratumumab",
    "corticosteroids": "Corticosteroids",
    "bevacizumab": "Bevacizumab",
    "other": "Other",
}


def _choice(verbose_name, choices, help_text):
    return models.CharField(
        verbose_name, max_length=20, choices=choices, default=NOT_ASSESSED, help_text=help_text
    )


def _number(verbose_name, help_text):
    return models.FloatField(verbose_name, null=True, blank=True, help_text=help_text)


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    append_only=True,
)
class FollowUpVisit(models.Model):
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        related_name="visits",
        help_text="The assessment whose patient this visit follows.",
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every save; a save from an older page is refused."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was first saved.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When it was last saved.")
    signed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the physician signed this visit; read-only since."
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who signed this visit.",
    )

    visit_date = models.DateField("visit date", help_text="The day of the visit.")
    months_since_treatment_start = _number(
        "months since treatment start", "Months since first-line treatment began; 0 to 600."
    )
    treatment_since_last_visit = ArrayField(
        models.CharField(max_length=30, choices=list(TREATMENT_LABELS.items())),
        verbose_name="treatment since the last visit",
        default=list,
        blank=True,
        help_text="Every treatment given since the last visit (or the baseline); “None” alone.",
    )
    bevacizumab_since_baseline = _choice(
        "bevacizumab since the baseline",
        _YES_NO,
        "Any bevacizumab since the baseline VEGF: it interferes with VEGF measurement.",
    )
    age_at_asct_years = _number(
        "age at transplant (years)", "Only with a transplant listed on this visit."
    )
    vegf_value = _number("VEGF", "As the laboratory reports it, with its unit and sample.")
    vegf_unit = _choice(
        "VEGF unit",
        [_NOT_ASSESSED, ("pg/mL", "pg/mL"), ("ng/L", "ng/L"), ("ng/mL", "ng/mL")],
        "pg/mL equals ng/L; ng/mL is 1000 times larger.",
    )
    vegf_sample = _choice(
        "VEGF sample",
        [_NOT_ASSESSED, ("plasma", "Plasma (EDTA)"), ("serum", "Serum")],
        "Compared with the baseline only when the sample is the same.",
    )
    vegf_assay = models.CharField(
        "VEGF assay and laboratory",
        max_length=100,
        blank=True,
        default="",
        help_text="Method and laboratory: compared with the baseline's.",
    )
    vegf_lab_uln = _number(
        "laboratory upper limit of VEGF", "This laboratory's upper reference limit, same unit."
    )
    serum_ife = _choice("serum immunofixation", _TESTED, "Serum immunofixation at this visit.")
    urine_ife = _choice("urine immunofixation", _TESTED, "Urine immunofixation at this visit.")
    mspike_g_dl = _number("M-spike (g/dL)", "Serum protein electrophoresis; 0 = no spike seen.")
    sflc_ratio = _number("serum FLC ratio (κ/λ)", "Serum free light chain ratio.")
    onls_arm = _number("ONLS arm score", "0 (no limitation) to 5.")
    onls_leg = _number("ONLS leg score", "0 (no limitation) to 7.")
    clinician_assessed_progression = _choice(
        "progression in the physician's judgement",
        _YES_NO,
        "Your own judgement, stored and shown; the app never derives it.",
    )
    note = models.TextField(
        blank=True,
        default="",
        max_length=TEXT_MOST_CHARACTERS,
        help_text="Free text, up to 2000 characters.",
    )

    class Meta:
        ordering = ["assessment", "visit_date"]
        constraints = [
            # Visits are strictly ordered by date (followup.md 3.2).
            models.UniqueConstraint(fields=["assessment", "visit_date"], name="one_visit_per_day")
        ]

    def __str__(self):
        return f"{self.assessment.patient_reference} visit {self.visit_date:%Y-%m-%d}"

    def treatments_shown(self) -> str:
        return ", ".join(TREATMENT_LABELS.get(t, t) for t in self.treatment_since_last_visit) or (
            "not recorded"
        )

    @property
    def is_locked(self) -> bool:
        """Signed, or its assessment withdrawn: the visit can no longer change."""
        return self.signed_at is not None or self.assessment.withdrawn_at is not None
