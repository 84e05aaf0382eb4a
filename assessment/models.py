"""One assessment of one patient: every finding of criteria.md section 4 as a typed field.

Field names are the engine's finding keys. Allowed values and plausible ranges come from the
engine's catalogue (`assessment.criteria.findings`), so the form can never offer a value the
engine would refuse; the labels and help text here are the clinic's words for them.
"""

import datetime
import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from assessment.criteria import FINDINGS
from assessment.criteria import thresholds as t

NOT_ASSESSED = "unknown"
_LABELS = {
    NOT_ASSESSED: "Not assessed",
    "yes": "Yes",
    "no": "No",
    "not_applicable": "Not applicable",
    "not_done": "Not done",
    "positive": "Positive",
    "negative": "Negative",
}


def _choices(key, labels):
    """The engine's allowed values for `key`, labelled; "not assessed" first and the default."""
    return [(NOT_ASSESSED, _LABELS[NOT_ASSESSED])] + [
        (value, labels.get(value) or _LABELS[value]) for value in FINDINGS[key].choices
    ]


def finding(key, verbose_name, help_text, **labels):
    """A yes/no or list finding, stored as the engine's value strings."""
    return models.CharField(
        verbose_name,
        max_length=40,
        choices=_choices(key, labels),
        default=NOT_ASSESSED,
        help_text=help_text,
    )


def measurement(key, verbose_name, help_text):
    """A number; empty means not measured. Its range is the engine's to check, and nobody's
    else: a second check here could refuse what the engine accepts."""
    return models.FloatField(verbose_name, null=True, blank=True, help_text=help_text)


# A reason or a comment is a few sentences, not a document.
TEXT_MOST_CHARACTERS = 2000
EARLIEST_DATE = datetime.date(1900, 1, 1)


def no_control_characters(value: str) -> None:
    if any(ord(character) < 32 or ord(character) == 127 for character in value):
        raise ValidationError(
            "A reference cannot hold line breaks, tabs or other control characters."
        )


def plausible_date(value: datetime.date) -> None:
    """From 1900 to today (tomorrow, for a clock a time zone ahead)."""
    latest = timezone.localdate() + datetime.timedelta(days=1)
    if not EARLIEST_DATE <= value <= latest:
        raise ValidationError(
            f"Give a date from {EARLIEST_DATE:%Y-%m-%d} to today ({timezone.localdate():%Y-%m-%d})."
        )


# Every insert, update and delete is recorded by database triggers, so bulk updates and admin
# actions are caught too; the event rows cannot be changed afterwards.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    append_only=True,
)
class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETE = "complete", "Complete"

    class ReviewStatus(models.TextChoices):
        UNREVIEWED = "unreviewed", "Unreviewed"
        REVIEWED = "reviewed", "Reviewed"
        NEEDS_FOLLOW_UP = "needs_follow_up", "Needs follow-up"

    class Verdict(models.TextChoices):
        MEETS = "meets", "Meets the criteria"
        DOES_NOT_MEET = "does_not_meet", "Does not meet the criteria"
        INDETERMINATE = "indeterminate", "Indeterminate"

    class JapanResult(models.TextChoices):
        DEFINITE = "definite", "Definite"
        PROBABLE = "probable", "Probable"
        POSSIBLE = "possible", "Possible"
        DOES_NOT_MEET = "does_not_meet", "Does not meet"
        INDETERMINATE = "indeterminate", "Indeterminate"
        EXCLUDED = "excluded_meets_myeloma_criteria", "Excluded (meets myeloma criteria)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="The physician who made this assessment; only they can see and edit it.",
    )
    patient_reference = models.CharField(
        "patient reference",
        max_length=64,
        validators=[no_control_characters],
        help_text="An MRN or study code, never a name.",
    )
    assessment_date = models.DateField(
        "assessment date",
        validators=[plausible_date],
        help_text="The date the findings describe (from 1900 to today).",
    )
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Complete once every step has been saved with “Save and continue”.",
    )
    completed_steps = models.JSONField(
        default=list,
        blank=True,
        help_text="The steps saved with “Save and continue”, by slug.",
    )
    version = models.PositiveIntegerField(
        default=1,
        help_text="Raised on every save, so that a save from a stale page can be refused.",
    )
    # The stored evaluation: what the criteria engine returned at the last save, or at the last
    # `manage.py reevaluate` when the rules changed since (assessment.reevaluation).
    primary_verdict = models.CharField(
        "primary verdict",
        max_length=16,
        choices=Verdict.choices,
        default=Verdict.INDETERMINATE,
        help_text="The updated Dispenzieri criteria's result (the primary verdict) under the "
        "current rules.",
    )
    japan_result = models.CharField(
        "Japanese criteria",
        max_length=40,
        choices=JapanResult.choices,
        blank=True,
        help_text="The Japanese MHLW 2015 result under the current rules (blank if evaluated "
        "before it was stored).",
    )
    criteria_version = models.CharField(
        "criteria version",
        max_length=40,
        blank=True,
        help_text="The criteria engine's version that gave the stored verdict and warnings.",
    )
    warning_ids = ArrayField(
        models.CharField(max_length=40),
        default=list,
        blank=True,
        help_text="The warnings the criteria engine raised, under the current rules.",
    )
    review_status = models.CharField(
        "review",
        max_length=16,
        choices=ReviewStatus.choices,
        default=ReviewStatus.UNREVIEWED,
        help_text="An admin's review of this case.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The admin who last reviewed it.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, help_text="When it was reviewed.")
    review_comment = models.TextField(
        blank=True,
        max_length=TEXT_MOST_CHARACTERS,
        help_text="The reviewer's comment, shown to the physician.",
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The physician who signed it; a signed assessment is read-only.",
    )
    signed_at = models.DateTimeField(null=True, blank=True, help_text="When it was signed.")
    signed_findings_sha256 = models.CharField(
        "SHA-256 of the signed findings",
        max_length=64,
        blank=True,
        help_text="Hash of the canonical findings JSON at signing, as printed on the PDF.",
    )
    # What was signed is kept as it was: a later rule revision changes the stored evaluation
    # above, never these.
    signed_primary_verdict = models.CharField(
        "signed primary verdict",
        max_length=16,
        choices=Verdict.choices,
        blank=True,
        help_text="The primary verdict as signed.",
    )
    signed_japan_result = models.CharField(
        "signed Japanese result",
        max_length=40,
        choices=JapanResult.choices,
        blank=True,
        help_text="The Japanese MHLW 2015 result as signed.",
    )
    signed_criteria_version = models.CharField(
        "signed under criteria version",
        max_length=40,
        blank=True,
        help_text="The criteria engine's version the signed verdict was given by.",
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who withdrew it; a complete or signed assessment is withdrawn, never deleted.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, help_text="When it was withdrawn.")
    withdrawal_reason = models.TextField(
        blank=True, max_length=TEXT_MOST_CHARACTERS, help_text="Why it was withdrawn."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was started.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When it was last saved.")

    # Patient
    age_years = measurement("age_years", "age (years)", "Age at assessment, in years.")
    sex = finding(
        "sex",
        "sex",
        "Sets which endocrine items apply and the haemoglobin limits.",
        male="Male",
        female="Female",
    )

    # Neuropathy
    pn_present = finding(
        "pn_present",
        "polyneuropathy",
        "Peripheral polyneuropathy on examination or nerve conduction studies (mandatory "
        "criterion in every set but the 1980 convention).",
    )
    pn_symmetry = finding(
        "pn_symmetry",
        "symmetry",
        "POEMS neuropathy is symmetric; an asymmetric or multifocal one suggests vasculitis, "
        "cryoglobulinaemia, MADSAM or amyloidosis.",
        symmetric="Symmetric",
        asymmetric="Asymmetric",
    )
    pn_distribution = finding(
        "pn_distribution",
        "distribution",
        "POEMS begins distally and spreads proximally.",
        distal_length_dependent="Distal, length-dependent",
        distal_with_proximal_spread="Distal with proximal spread",
        proximal_and_distal="Proximal and distal",
        multifocal="Multifocal",
    )
    pn_fiber_type = finding(
        "pn_fiber_type",
        "fibre type",
        "A small-fibre-only neuropathy points to AL amyloidosis.",
        sensorimotor="Sensorimotor",
        motor_predominant="Motor-predominant",
        sensory_predominant="Sensory-predominant",
        small_fiber_only="Small-fibre only",
    )
    ncs_pattern = finding(
        "ncs_pattern",
        "nerve conduction pattern",
        "POEMS is typically demyelinating with axonal loss; purely axonal is atypical.",
        demyelinating="Demyelinating",
        axonal="Axonal",
        mixed="Mixed demyelinating and axonal",
        normal="Normal",
        not_done="Not done",
    )
    ncs_conduction_block_or_temporal_dispersion = finding(
        "ncs_conduction_block_or_temporal_dispersion",
        "conduction block or temporal dispersion",
        "Conduction block, temporal dispersion or sural sparing favour CIDP over POEMS.",
    )
    pn_painful = finding("pn_painful", "painful neuropathy", "POEMS neuropathy is often painful.")
    pn_cranial_nerve_involvement = finding(
        "pn_cranial_nerve_involvement",
        "cranial nerve involvement",
        "Atypical for POEMS; consider amyloidosis, GBS/CIDP variants or vasculitis.",
    )
    pn_autonomic_involvement = finding(
        "pn_autonomic_involvement",
        "autonomic involvement",
        "Prominent autonomic failure points to AL amyloidosis.",
    )
    pn_sensory_ataxia_or_tremor = finding(
        "pn_sensory_ataxia_or_tremor",
        "sensory ataxia or tremor",
        "With an IgM clone and distal demyelination, suggests anti-MAG neuropathy.",
    )
    csf_protein_elevated = finding(
        "csf_protein_elevated",
        "CSF protein raised",
        "Cyto-albuminologic dissociation is common in POEMS and CIDP alike.",
    )
    immunotherapy_response = finding(
        "immunotherapy_response",
        "response to IVIG, steroids or plasma exchange",
        "A good response favours CIDP; POEMS rarely responds.",
        responded="Responded",
        no_response="No response",
        not_treated="Not treated",
    )

    # Organomegaly and Castleman disease
    hepatomegaly = finding("hepatomegaly", "hepatomegaly", "On examination or imaging.")
    splenomegaly = finding("splenomegaly", "splenomegaly", "On examination or imaging.")
    lymphadenopathy = finding("lymphadenopathy", "lymphadenopathy", "On examination or imaging.")
    lymph_node_histology = finding(
        "lymph_node_histology",
        "lymph node histology",
        "Castleman disease is an other major criterion of the updated set; with no clone it is "
        "the Castleman variant, to be evaluated separately.",
        castleman_hyaline_vascular="Castleman, hyaline-vascular",
        castleman_plasma_cell="Castleman, plasma-cell",
        castleman_mixed="Castleman, mixed",
        castleman_unspecified="Castleman, type not stated",
        reactive="Reactive",
        lymphoma="Lymphoma",
        other="Other",
        not_done="Not done",
    )
    hhv8 = finding("hhv8", "HHV-8", "LANA-1 stain or PCR; positive means HHV-8 MCD.")

    # Endocrine (each axis separately)
    endo_hypogonadism = finding(
        "endo_hypogonadism",
        "hypogonadism",
        "Laboratory-confirmed low testosterone or estradiol.",
    )
    endo_gynecomastia = finding(
        "endo_gynecomastia", "gynaecomastia", "Men only; not applicable for women."
    )
    endo_erectile_dysfunction = finding(
        "endo_erectile_dysfunction",
        "erectile dysfunction",
        "Men only. Without proven hypogonadism it may be autonomic.",
    )
    endo_amenorrhea = finding(
        "endo_amenorrhea", "amenorrhoea", "Women only; not applicable for men."
    )
    endo_hyperprolactinemia = finding(
        "endo_hyperprolactinemia", "hyperprolactinaemia", "Pituitary axis."
    )
    endo_adrenal_insufficiency = finding(
        "endo_adrenal_insufficiency",
        "adrenal insufficiency",
        "Low morning cortisol or a failed ACTH stimulation test.",
    )
    endo_hypothyroidism = finding(
        "endo_hypothyroidism",
        "hypothyroidism",
        "Thyroid disease alone does not count for the updated criteria (too common).",
    )
    endo_hyperthyroidism = finding(
        "endo_hyperthyroidism",
        "hyperthyroidism",
        "Thyroid disease alone does not count for the updated criteria (too common).",
    )
    endo_parathyroid_abnormality = finding(
        "endo_parathyroid_abnormality",
        "parathyroid abnormality",
        "Hypo- or hyperparathyroidism, or hypocalcaemia.",
    )
    endo_diabetes_or_glucose_intolerance = finding(
        "endo_diabetes_or_glucose_intolerance",
        "diabetes or glucose intolerance",
        "Diabetes alone does not count for the updated criteria (too common).",
    )
    endo_other_unspecified = finding(
        "endo_other_unspecified",
        "other endocrinopathy, axis not stated",
        "Counts as any endocrinopathy; for the updated criteria it stays unknown, since it "
        "might be diabetes or thyroid disease.",
    )

    # Monoclonal protein and marrow
    spep_mspike = finding(
        "spep_mspike",
        "M-spike on serum protein electrophoresis",
        "SPEP alone misses the small POEMS clone; use immunofixation.",
        detected="Detected",
        not_detected="Not detected",
        not_done="Not done",
    )
    serum_ife = finding("serum_ife", "serum immunofixation", "Shows small clones SPEP misses.")
    urine_ife = finding("urine_ife", "urine immunofixation", "24-hour urine.")
    heavy_chain = finding(
        "heavy_chain",
        "heavy chain",
        "POEMS clones are usually IgA or IgG; IgM suggests anti-MAG or Waldenström.",
        IgG="IgG",
        IgA="IgA",
        IgM="IgM",
        IgD="IgD",
        light_chain_only="Light chain only",
        biclonal="Biclonal",
    )
    light_chain = finding(
        "light_chain",
        "light chain",
        "Almost always lambda in POEMS; kappa still counts, with a warning.",
        **{"lambda": "Lambda"},
        kappa="Kappa",
        biclonal="Biclonal",
    )
    clone_reported_method_unspecified = finding(
        "clone_reported_method_unspecified",
        "clone reported, method not stated",
        "For a report that names a clone without the test that showed it.",
    )
    mspike_g_dl = measurement(
        "mspike_g_dl",
        "M-spike (g/dL)",
        f"Usually small in POEMS; {t.MYELOMA_MSPIKE.value:g} g/dL or more suggests myeloma.",
    )
    sflc_kappa_mg_l = measurement("sflc_kappa_mg_l", "serum free kappa (mg/L)", "Serum FLC assay.")
    sflc_lambda_mg_l = measurement(
        "sflc_lambda_mg_l", "serum free lambda (mg/L)", "Serum FLC assay."
    )
    sflc_ratio = measurement(
        "sflc_ratio",
        "serum FLC ratio (κ/λ)",
        "Normal 0.26–1.65; often normal in POEMS. "
        f"Below {t.AMYLOID_FLC_RATIO_LOW.value:g} or above "
        f"{t.AMYLOID_FLC_RATIO_HIGH.value:g} suggests AL amyloidosis.",
    )
    bm_clonality = finding(
        "bm_clonality",
        "bone marrow clonality",
        "CD138 with kappa/lambda immunohistochemistry or flow cytometry.",
        lambda_restricted="Lambda-restricted",
        kappa_restricted="Kappa-restricted",
        no_clonal_plasma_cells="No clonal plasma cells",
        not_done="Not done",
    )
    bm_plasma_cell_percent = measurement(
        "bm_plasma_cell_percent",
        "marrow plasma cells (%)",
        f"Usually 5% or fewer in POEMS; {t.MYELOMA_MARROW_PLASMA_CELLS.value:g}% or more suggests "
        "myeloma.",
    )
    bone_lesion_biopsy = finding(
        "bone_lesion_biopsy",
        "bone lesion biopsy",
        "A biopsy of a sclerotic lesion can show the clone when the marrow does not.",
        clonal_plasma_cells_lambda="Clonal plasma cells, lambda",
        clonal_plasma_cells_kappa="Clonal plasma cells, kappa",
        clonal_plasma_cells_unspecified="Clonal plasma cells, light chain not stated",
        no_clonal_cells="No clonal cells",
        not_done="Not done",
    )
    wm_lymphoplasmacytic_infiltrate = finding(
        "wm_lymphoplasmacytic_infiltrate",
        "lymphoplasmacytic marrow infiltrate",
        "Suggests Waldenström macroglobulinaemia rather than POEMS.",
    )

    # Bone
    bone_imaging = finding(
        "bone_imaging",
        "bone imaging",
        "Only CT with bone windows or PET-CT can rule out a sclerotic lesion.",
        ct_or_pet_ct="CT with bone windows or PET-CT",
        skeletal_survey_only="Plain skeletal survey only",
        mri="MRI",
        none="None",
    )
    bone_lesion_type = finding(
        "bone_lesion_type",
        "bone lesions",
        "POEMS lesions are sclerotic or mixed; purely lytic ones suggest myeloma.",
        sclerotic="Sclerotic",
        mixed_sclerotic_lytic="Mixed sclerotic and lytic",
        lytic_with_sclerotic_rim="Lytic with a sclerotic rim",
        purely_lytic="Purely lytic",
        lytic_sclerosis_not_described="Lytic, sclerosis not described",
        none="No lesion",
    )

    # Skin (each change separately)
    skin_hyperpigmentation = finding(
        "skin_hyperpigmentation", "hyperpigmentation", "In every criteria set."
    )
    skin_hypertrichosis = finding("skin_hypertrichosis", "hypertrichosis", "In every criteria set.")
    skin_hemangioma = finding(
        "skin_hemangioma", "haemangiomas", "Glomeruloid or cherry haemangiomas."
    )
    skin_plethora = finding("skin_plethora", "plethora", "In every criteria set.")
    skin_acrocyanosis = finding(
        "skin_acrocyanosis", "acrocyanosis", "Counts in the updated and Japanese sets, not 2003."
    )
    skin_flushing = finding(
        "skin_flushing", "flushing", "Counts in the updated and Japanese sets, not 2003."
    )
    skin_white_nails = finding("skin_white_nails", "white nails", "Terry nails (leukonychia).")
    skin_sclerodermoid_thickening = finding(
        "skin_sclerodermoid_thickening",
        "sclerodermoid skin thickening",
        "Counts only in the 1980 convention.",
    )
    skin_hyperhidrosis = finding(
        "skin_hyperhidrosis", "hyperhidrosis", "Counts only in the 1980 convention."
    )
    skin_clubbing = finding(
        "skin_clubbing", "finger clubbing", "Counts only in the 1980 convention."
    )
    skin_raynaud = finding(
        "skin_raynaud", "Raynaud phenomenon", "Counts only in the 1980 convention."
    )
    skin_other_reported = finding(
        "skin_other_reported", "other skin change", "Counts only in the 1980 convention."
    )

    # Other findings
    papilledema = finding(
        "papilledema", "papilloedema", "On fundoscopy; often bilateral with normal pressure."
    )
    peripheral_edema = finding(
        "peripheral_edema", "peripheral oedema", "Non-specific: look for another cause."
    )
    pleural_effusion = finding("pleural_effusion", "pleural effusion", "On imaging.")
    ascites = finding("ascites", "ascites", "On examination or imaging.")
    pericardial_effusion = finding(
        "pericardial_effusion",
        "pericardial effusion",
        "Counts as volume overload in the updated and Japanese sets, not in 2003.",
    )
    platelets_10e9_l = measurement(
        "platelets_10e9_l",
        "platelets (×10⁹/L)",
        f"Above {t.THROMBOCYTOSIS.value:g} is thrombocytosis; "
        f"below {t.THROMBOCYTOPENIA.value:g} is unusual in POEMS.",
    )
    thrombocytosis_reported = finding(
        "thrombocytosis_reported",
        "thrombocytosis reported",
        "When only a report, not a count, is at hand.",
    )
    hemoglobin_g_dl = measurement(
        "hemoglobin_g_dl",
        "haemoglobin (g/dL)",
        f"Above {t.POLYCYTHEMIA_MALE.value:g} (men) or "
        f"{t.POLYCYTHEMIA_FEMALE.value:.1f} (women) is polycythaemia; anaemia is unusual in POEMS.",
    )
    erythrocytosis_reported = finding(
        "erythrocytosis_reported",
        "erythrocytosis reported",
        "When only a report, not a value, is at hand.",
    )
    vegf_value = measurement(
        "vegf_value",
        "VEGF",
        f"Cut-offs: plasma ≥ {t.VEGF_PLASMA.value:g} pg/mL; serum ≥ {t.VEGF_SERUM.value:g} pg/mL "
        f"(updated criteria); serum ≥ {t.VEGF_SERUM_JAPAN.value:g} pg/mL (Japanese criteria). "
        "Give the unit and the sample type.",
    )
    vegf_unit = finding(
        "vegf_unit",
        "VEGF unit",
        "pg/mL equals ng/L; ng/mL is 1000 times larger.",
        **{"pg/mL": "pg/mL", "ng/L": "ng/L", "ng/mL": "ng/mL"},
    )
    vegf_sample = finding(
        "vegf_sample",
        "VEGF sample",
        "Serum holds platelet-released VEGF, so its cut-off is higher than plasma's.",
        plasma="Plasma (EDTA)",
        serum="Serum",
    )
    vegf_lab_uln = measurement(
        "vegf_lab_uln", "laboratory upper limit of VEGF", "In the same unit as the value."
    )
    vegf_multiple_of_uln = measurement(
        "vegf_multiple_of_uln",
        "VEGF as a multiple of the upper limit",
        "When only “× normal” is reported; it does not satisfy the cut-offs.",
    )
    vegf_qualitative = finding(
        "vegf_qualitative",
        "VEGF reported as",
        "When only “raised” or “normal” is reported; it does not satisfy the cut-offs.",
        elevated="Raised",
        normal="Normal",
    )
    renal_insufficiency = finding(
        "renal_insufficiency", "renal insufficiency", "Can be part of POEMS itself."
    )
    hypercalcemia = finding(
        "hypercalcemia", "hypercalcaemia", "With a clone, a myeloma-defining event."
    )
    thrombosis = finding("thrombosis", "thrombosis", "Arterial or venous; not a criterion.")
    pulmonary_hypertension = finding(
        "pulmonary_hypertension", "pulmonary hypertension", "Not a criterion; adverse prognosis."
    )
    weight_loss = finding("weight_loss", "weight loss", "Not a criterion.")
    amyloid_biopsy = finding(
        "amyloid_biopsy", "Congo red biopsy", "Fat pad or organ; positive means AL amyloidosis."
    )
    anti_mag = finding("anti_mag", "anti-MAG antibodies", "Test with an IgM clone.")
    cryoglobulins = finding("cryoglobulins", "cryoglobulins", "With C4 and HCV serology.")
    jak2_v617f = finding(
        "jak2_v617f", "JAK2 V617F", "When thrombocytosis or erythrocytosis suggests an MPN."
    )
    nephrotic_proteinuria = finding(
        "nephrotic_proteinuria", "nephrotic-range proteinuria", "Suggests AL amyloidosis."
    )
    cardiomyopathy = finding("cardiomyopathy", "cardiomyopathy", "Suggests AL amyloidosis.")
    macroglossia = finding("macroglossia", "macroglossia", "Suggests AL amyloidosis.")
    phrenic_nerve_palsy = finding(
        "phrenic_nerve_palsy", "phrenic nerve palsy", "Diaphragmatic palsy; unusual in POEMS."
    )
    # Staging at baseline (followup.md 3.1): read by the follow-up engine, ignored by the criteria.
    marrow_biopsy_done = finding(
        "marrow_biopsy_done",
        "iliac-crest marrow biopsy done",
        "A bone marrow biopsy with a κ/λ study; its result is the marrow clonality above.",
    )
    staging_imaging = finding(
        "staging_imaging",
        "whole-body staging imaging",
        "The whole-body modality used for staging; PET-CT when both were done.",
        low_dose_whole_body_ct="Low-dose whole-body CT",
        fdg_pet_ct="FDG PET-CT",
        plain_films_or_none="Plain films or none",
    )
    bone_lesion_count = measurement(
        "bone_lesion_count",
        "number of bone lesions",
        "Counted on the whole-body CT or PET-CT of the staging imaging; 0 to 1000.",
    )
    fdg_avid_lesions = finding(
        "fdg_avid_lesions",
        "FDG-avid lesions",
        "Any FDG-avid lesion on the baseline PET-CT.",
    )
    vegf_assay = models.CharField(
        "VEGF assay and laboratory",
        max_length=100,
        blank=True,
        default="",
        help_text="Method and laboratory, e.g. “Quantikine ELISA, lab X”: follow-up values are "
        "compared only with the same sample and assay.",
    )
    onls_arm_baseline = measurement(
        "onls_arm_baseline",
        "ONLS arm score",
        "Overall Neuropathy Limitations Scale, arm: 0 (no limitation) to 5.",
    )
    onls_leg_baseline = measurement(
        "onls_leg_baseline",
        "ONLS leg score",
        "Overall Neuropathy Limitations Scale, leg: 0 (no limitation) to 7.",
    )
    egfr_ml_min_1_73m2 = measurement(
        "egfr_ml_min_1_73m2", "eGFR (mL/min/1.73 m²)", "Estimated glomerular filtration rate."
    )
    albumin_g_dl = measurement(
        "albumin_g_dl", "serum albumin (g/dL)", "In g/dL: 35 g/L is 3.5 g/dL."
    )
    echo_done = finding(
        "echo_done", "echocardiogram done", "A transthoracic echocardiogram at staging."
    )
    echo_spap_mmhg = measurement(
        "echo_spap_mmhg",
        "estimated systolic pulmonary artery pressure (mmHg)",
        "From the echocardiogram; 50 mmHg or more is pulmonary hypertension by the echo "
        "definition.",
    )
    pft_dlco_done = finding(
        "pft_dlco_done", "lung function with DLCO done", "Lung function tests with DLCO."
    )
    dlco_percent_predicted = measurement(
        "dlco_percent_predicted", "DLCO (% predicted)", "Diffusing capacity, % of predicted."
    )
    urine_protein_24h_measured = finding(
        "urine_protein_24h_measured",
        "24-hour urine protein measured",
        "24-hour urine total protein at staging.",
    )

    class Meta:
        ordering = ["-updated_at"]
        # Beyond Django's add/change/delete/view: what a review, an unlock, an export or an import
        # needs.
        permissions = [
            ("review_assessment", "Can review assessments"),
            ("unlock_assessment", "Can unlock signed assessments"),
            ("export_assessments", "Can export assessments (CSV, FHIR, PDFs)"),
            ("import_assessments", "Can import assessments (CSV) as a physician's drafts"),
        ]
        indexes = [
            models.Index(fields=["owner", "-updated_at"], name="assessment_owner_recent"),
            models.Index(fields=["patient_reference"], name="assessment_patient_ref"),
            # The admin's changelist: its order (the model's, made total with -pk by Django),
            # alone and under each list filter, so a page of 50 is read from an index.
            models.Index(fields=["-updated_at", "-id"], name="assessment_recent"),
            models.Index(
                fields=["primary_verdict", "-updated_at", "-id"], name="assessment_verdict_recent"
            ),
            models.Index(fields=["status", "-updated_at", "-id"], name="assessment_status_recent"),
            models.Index(
                fields=["review_status", "-updated_at", "-id"], name="assessment_review_recent"
            ),
            # Search by any part of a reference, in the admin and "my assessments":
            # UPPER(patient_reference) LIKE '%X%', read from a trigram index.
            GinIndex(
                OpClass(Upper("patient_reference"), name="gin_trgm_ops"),
                name="assessment_reference_trgm",
            ),
        ]

    def __str__(self):
        return f"{self.patient_reference} ({self.assessment_date:%Y-%m-%d})"

    @property
    def is_locked(self) -> bool:
        """Signed or withdrawn: no finding may change."""
        return self.signed_at is not None or self.withdrawn_at is not None


class SignedDocument(models.Model):
    """The PDF as it was signed, kept as it was: served for that signature ever after, whatever
    the rules, the templates or the renderer do later. Unlocking and signing again adds one."""

    # An audit table: the app's database role may only read and add rows (dbroles).
    audit_record = True

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        related_name="signed_documents",
        help_text="The assessment that was signed.",
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The physician who signed it.",
    )
    signed_at = models.DateTimeField(help_text="When it was signed: the signature it belongs to.")
    findings_sha256 = models.CharField(
        "SHA-256 of the signed findings", max_length=64, help_text="As the PDF prints it."
    )
    criteria_version = models.CharField(
        max_length=40, help_text="The criteria engine's version that gave the signed verdict."
    )
    pdf = models.BinaryField(help_text="The PDF's bytes, as rendered at signing.")
    sha256 = models.CharField(
        "SHA-256 of the PDF", max_length=64, help_text="Of the bytes above, to check a copy by."
    )
    size = models.PositiveIntegerField(help_text="The PDF's size in bytes.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was stored.")

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "signed_at"], name="one_document_per_signature"
            )
        ]

    def __str__(self):
        return f"{self.assessment} signed {self.signed_at:%Y-%m-%d %H:%M}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), append_only=True)
class RuleChangeNotice(models.Model):
    """A rule revision changed a stored case's result: kept until its physician has seen it."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="rule_change_notices",
        help_text="The assessment whose result the revision changed.",
    )
    from_version = models.CharField(
        max_length=40, help_text="The criteria version of the result before."
    )
    to_version = models.CharField(
        max_length=40, help_text="The criteria version that re-evaluated the case."
    )
    changed_on = models.DateField(help_text="The date of the rule revision.")
    change_summary = models.TextField(
        help_text="The engine's one-line description of each rule change, quoted to the physician."
    )
    primary_before = models.CharField(
        max_length=16, choices=Assessment.Verdict.choices, help_text="The primary verdict before."
    )
    primary_after = models.CharField(
        max_length=16, choices=Assessment.Verdict.choices, help_text="The primary verdict now."
    )
    japan_before = models.CharField(
        max_length=40,
        choices=Assessment.JapanResult.choices,
        blank=True,
        help_text="The Japanese result before (blank if it was not stored).",
    )
    japan_after = models.CharField(
        max_length=40,
        choices=Assessment.JapanResult.choices,
        blank=True,
        help_text="The Japanese result now (blank if the findings are now refused).",
    )
    refused = models.TextField(
        blank=True,
        help_text="Why the current rules refuse the stored findings, when they do: the case then "
        "waits for its physician to correct them.",
    )
    created_at = models.DateTimeField(
        auto_now_add=True, help_text="When the case was re-evaluated."
    )
    seen_at = models.DateTimeField(
        null=True, blank=True, help_text="When the physician marked the notice as read."
    )
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who marked it as read.",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Re-running `reevaluate` never repeats a notice.
            models.UniqueConstraint(
                fields=["assessment", "to_version"], name="one_notice_per_case_and_version"
            ),
        ]
        indexes = [
            models.Index(
                fields=["assessment"],
                condition=models.Q(seen_at__isnull=True),
                name="notice_unseen",
            ),
        ]

    def __str__(self):
        return f"{self.assessment}: {self.primary_before} → {self.primary_after}"


class AccessEvent(models.Model):
    """Who opened a case's summary, downloaded its PDF or exported it, and when. Rows are never
    changed."""

    # An audit table: the app's database role may only read and add rows (dbroles).
    audit_record = True

    class Kind(models.TextChoices):
        SUMMARY = "summary", "Viewed the summary"
        PDF = "pdf", "Downloaded the PDF"
        ADMIN = "admin", "Opened in the admin"
        EXPORT = "export", "Exported (CSV or FHIR)"

    # No database constraint: the record of an access outlives a deleted draft.
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="access_events",
        help_text="The assessment that was opened.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who opened it.",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, help_text="What was opened.")
    at = models.DateTimeField(auto_now_add=True, db_index=True, help_text="When.")

    class Meta:
        ordering = ["-at"]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.user} at {self.at:%Y-%m-%d %H:%M}"
