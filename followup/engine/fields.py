"""The inputs of followup.md section 3: the 14 baseline staging keys (3.1) and the fields of a
follow-up visit (3.2), each with its type and plausibility limits (data-entry guards against
typing and unit slips, not clinical thresholds)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from assessment.criteria import FINDINGS
from assessment.criteria.findings import Finding
from assessment.criteria.findings import Kind as CriteriaKind


class Kind(StrEnum):
    TRI = "tri"
    CHOICE = "choice"
    NUMBER = "number"
    INTEGER = "integer"
    TEXT = "text"
    DATE = "date"
    TREATMENTS = "treatments"


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    kind: Kind
    choices: tuple[str, ...] = ()
    least: float = 0
    # The least value itself is refused (a concentration or a ratio is never 0).
    above_least: bool = False
    most: float | None = None
    slip: str = ""  # the slip a number past `most` usually is, named in the refusal
    longest: int = 0  # characters, for text


YES_NO = ("yes", "no")
TESTED = ("positive", "negative", "not_done")
STAGING_IMAGING = ("low_dose_whole_body_ct", "fdg_pet_ct", "plain_films_or_none")
WHOLE_BODY_IMAGING = ("low_dose_whole_body_ct", "fdg_pet_ct")
TREATMENTS = (
    "none",
    "radiation",
    "asct",
    "alkylator_non_transplant",
    "lenalidomide",
    "thalidomide",
    "bortezomib",
    "daratumumab",
    "corticosteroids",
    "bevacizumab",
    "other",
)
ASSAY_LONGEST = 100
NOTE_LONGEST = 2000


def _tri(key: str) -> Field:
    return Field(key, Kind.TRI, YES_NO)


def as_field(finding: Finding) -> Field:
    """A finding of the criteria catalogue in this engine's terms: its limits are the same."""
    if finding.kind is CriteriaKind.NUMBER:
        return Field(
            finding.key,
            Kind.INTEGER if finding.whole else Kind.NUMBER,
            least=finding.minimum,
            above_least=finding.above_zero,
            most=finding.maximum,
            slip=finding.slip,
        )
    if finding.kind is CriteriaKind.TEXT:
        return Field(finding.key, Kind.TEXT, longest=finding.longest)
    return Field(
        finding.key, Kind.TRI if finding.kind is CriteriaKind.TRI else Kind.CHOICE, finding.choices
    )


# followup.md 3.1, in its order. The criteria catalogue holds them (the criteria engine accepts
# and ignores them), so the assessment's forms, summary and exports carry them like any finding.
STAGING_KEYS = (
    "marrow_biopsy_done",
    "staging_imaging",
    "bone_lesion_count",
    "fdg_avid_lesions",
    "vegf_assay",
    "onls_arm_baseline",
    "onls_leg_baseline",
    "egfr_ml_min_1_73m2",
    "albumin_g_dl",
    "echo_done",
    "echo_spap_mmhg",
    "pft_dlco_done",
    "dlco_percent_predicted",
    "urine_protein_24h_measured",
)
STAGING: tuple[Field, ...] = tuple(as_field(FINDINGS[key]) for key in STAGING_KEYS)

# VEGF figures are checked against the unit they are given in (followup.md 3.3, criteria.md
# 9.6), not by a plain limit.
VISIT: tuple[Field, ...] = (
    Field("visit_date", Kind.DATE),
    Field("months_since_treatment_start", Kind.NUMBER, most=600),
    Field("treatment_since_last_visit", Kind.TREATMENTS, TREATMENTS),
    _tri("bevacizumab_since_baseline"),
    Field("age_at_asct_years", Kind.NUMBER, most=120),
    Field("vegf_value", Kind.NUMBER),
    Field("vegf_unit", Kind.CHOICE, ("pg/mL", "ng/L", "ng/mL")),
    Field("vegf_sample", Kind.CHOICE, ("plasma", "serum")),
    Field("vegf_assay", Kind.TEXT, longest=ASSAY_LONGEST),
    Field("vegf_lab_uln", Kind.NUMBER),
    Field("serum_ife", Kind.CHOICE, TESTED),
    Field("urine_ife", Kind.CHOICE, TESTED),
    Field("mspike_g_dl", Kind.NUMBER, most=15, slip="was it g/L?"),
    Field("sflc_ratio", Kind.NUMBER, above_least=True),
    Field("onls_arm", Kind.INTEGER, most=5),
    Field("onls_leg", Kind.INTEGER, most=7),
    _tri("clinician_assessed_progression"),
    Field("note", Kind.TEXT, longest=NOTE_LONGEST),
)
VISIT_FIELDS = {field.key: field for field in VISIT}
