"""The canonical findings: criteria.md section 4 plus `phrenic_nerve_palsy` (9.1), and the
staging keys of followup.md 3.1, which the criteria accept and no criteria result depends on.

Keys are those of `vignettes.json` and `followup_vignettes.json`. Every finding may be unknown;
a tri-state finding takes yes / no (plus `not_applicable` or `not_done` where section 4 allows
it), a choice finding one of its listed strings, a number a JSON number in the stated unit, a
text a string.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from . import thresholds as t

UNKNOWN = "unknown"


class Kind(StrEnum):
    TRI = "tri"
    CHOICE = "choice"
    NUMBER = "number"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Finding:
    key: str
    kind: Kind
    choices: tuple[str, ...] = ()
    unit: str = ""
    # Plausibility limit of criteria.md 9.6; a larger number is refused as a typing error.
    maximum: float | None = None
    # The slip a number past its maximum usually is, named in the refusal (9.6, revision 2).
    slip: str = ""
    # A number that is never 0, such as a ratio of two concentrations (9.6, revision 2).
    above_zero: bool = False
    # A count or a score: a whole number (followup.md 3.1).
    whole: bool = False
    # The least plausible number, when it is above 0 (followup.md 3.1).
    minimum: float = 0
    # The longest text, in characters.
    longest: int = 0


YES_NO = ("yes", "no")


def _tri(key: str, *extra: str) -> Finding:
    return Finding(key, Kind.TRI, YES_NO + extra)


def _choice(key: str, *choices: str) -> Finding:
    return Finding(key, Kind.CHOICE, choices)


def _number(key: str, unit: str, maximum: float | None = None, **limits) -> Finding:
    return Finding(key, Kind.NUMBER, unit=unit, maximum=maximum, **limits)


_TESTED = ("positive", "negative", "not_done")

CATALOGUE: tuple[Finding, ...] = (
    # 4.1 Patient
    _number("age_years", "years", maximum=120),
    _choice("sex", "male", "female"),
    # 4.2 Neuropathy
    _tri("pn_present"),
    _choice("pn_symmetry", "symmetric", "asymmetric"),
    _choice(
        "pn_distribution",
        "distal_length_dependent",
        "distal_with_proximal_spread",
        "proximal_and_distal",
        "multifocal",
    ),
    _choice(
        "pn_fiber_type",
        "sensorimotor",
        "motor_predominant",
        "sensory_predominant",
        "small_fiber_only",
    ),
    _choice("ncs_pattern", "demyelinating", "axonal", "mixed", "normal", "not_done"),
    _tri("ncs_conduction_block_or_temporal_dispersion"),
    _tri("pn_painful"),
    _tri("pn_cranial_nerve_involvement"),
    _tri("pn_autonomic_involvement"),
    _tri("pn_sensory_ataxia_or_tremor"),
    _tri("csf_protein_elevated", "not_done"),
    _choice("immunotherapy_response", "responded", "no_response", "not_treated"),
    # 4.3 Organomegaly / lymph nodes
    _tri("hepatomegaly"),
    _tri("splenomegaly"),
    _tri("lymphadenopathy"),
    _choice(
        "lymph_node_histology",
        "castleman_hyaline_vascular",
        "castleman_plasma_cell",
        "castleman_mixed",
        "castleman_unspecified",
        "reactive",
        "lymphoma",
        "other",
        "not_done",
    ),
    _choice("hhv8", *_TESTED),
    # 4.4 Endocrine (each axis separately)
    _tri("endo_hypogonadism"),
    _tri("endo_gynecomastia", "not_applicable"),
    _tri("endo_erectile_dysfunction", "not_applicable"),
    _tri("endo_amenorrhea", "not_applicable"),
    _tri("endo_hyperprolactinemia"),
    _tri("endo_adrenal_insufficiency"),
    _tri("endo_hypothyroidism"),
    _tri("endo_hyperthyroidism"),
    _tri("endo_parathyroid_abnormality"),
    _tri("endo_diabetes_or_glucose_intolerance"),
    _tri("endo_other_unspecified"),
    # 4.5 Monoclonal protein / marrow
    _choice("spep_mspike", "detected", "not_detected", "not_done"),
    _choice("serum_ife", *_TESTED),
    _choice("urine_ife", *_TESTED),
    _choice("heavy_chain", "IgG", "IgA", "IgM", "IgD", "light_chain_only", "biclonal"),
    _choice("light_chain", "lambda", "kappa", "biclonal"),
    _tri("clone_reported_method_unspecified"),
    _number("mspike_g_dl", "g/dL", maximum=t.MSPIKE_MOST_G_DL, slip="was it g/L?"),
    _number("sflc_kappa_mg_l", "mg/L", maximum=t.FREE_LIGHT_CHAIN_MOST_MG_L),
    _number("sflc_lambda_mg_l", "mg/L", maximum=t.FREE_LIGHT_CHAIN_MOST_MG_L),
    _number("sflc_ratio", "κ/λ", above_zero=True),
    _choice(
        "bm_clonality",
        "lambda_restricted",
        "kappa_restricted",
        "no_clonal_plasma_cells",
        "not_done",
    ),
    _number("bm_plasma_cell_percent", "%", maximum=100),
    _choice(
        "bone_lesion_biopsy",
        "clonal_plasma_cells_lambda",
        "clonal_plasma_cells_kappa",
        "clonal_plasma_cells_unspecified",
        "no_clonal_cells",
        "not_done",
    ),
    _tri("wm_lymphoplasmacytic_infiltrate"),
    # 4.6 Bone
    _choice("bone_imaging", "ct_or_pet_ct", "skeletal_survey_only", "mri", "none"),
    _choice(
        "bone_lesion_type",
        "sclerotic",
        "mixed_sclerotic_lytic",
        "lytic_with_sclerotic_rim",
        "purely_lytic",
        "lytic_sclerosis_not_described",
        "none",
    ),
    # 4.7 Skin (each change separately)
    _tri("skin_hyperpigmentation"),
    _tri("skin_hypertrichosis"),
    _tri("skin_hemangioma"),
    _tri("skin_plethora"),
    _tri("skin_acrocyanosis"),
    _tri("skin_flushing"),
    _tri("skin_white_nails"),
    _tri("skin_sclerodermoid_thickening"),
    _tri("skin_hyperhidrosis"),
    _tri("skin_clubbing"),
    _tri("skin_raynaud"),
    _tri("skin_other_reported"),
    # 4.8 Other findings
    _tri("papilledema"),
    _tri("peripheral_edema"),
    _tri("pleural_effusion"),
    _tri("ascites"),
    _tri("pericardial_effusion"),
    _number("platelets_10e9_l", "×10⁹/L", maximum=5000),
    _tri("thrombocytosis_reported"),
    _number("hemoglobin_g_dl", "g/dL", maximum=30),
    _tri("erythrocytosis_reported"),
    _number("vegf_value", "vegf_unit"),
    _choice("vegf_unit", "pg/mL", "ng/L", "ng/mL"),
    _choice("vegf_sample", "plasma", "serum"),
    _number("vegf_lab_uln", "vegf_unit"),
    _number("vegf_multiple_of_uln", "× upper limit of normal"),
    _choice("vegf_qualitative", "elevated", "normal"),
    _tri("renal_insufficiency"),
    _tri("hypercalcemia"),
    _tri("thrombosis"),
    _tri("pulmonary_hypertension"),
    _tri("weight_loss"),
    _choice("amyloid_biopsy", *_TESTED),
    _choice("anti_mag", *_TESTED),
    _choice("cryoglobulins", *_TESTED),
    _choice("jak2_v617f", *_TESTED),
    _tri("nephrotic_proteinuria"),
    _tri("cardiomyopathy"),
    _tri("macroglossia"),
    _tri("phrenic_nerve_palsy"),
    # followup.md 3.1: staging at baseline, for the follow-up engine; the criteria ignore them.
    _tri("marrow_biopsy_done"),
    _choice("staging_imaging", "low_dose_whole_body_ct", "fdg_pet_ct", "plain_films_or_none"),
    _number("bone_lesion_count", "lesions", maximum=1000, whole=True),
    _tri("fdg_avid_lesions"),
    Finding("vegf_assay", Kind.TEXT, longest=100),
    _number("onls_arm_baseline", "ONLS arm points", maximum=5, whole=True),
    _number("onls_leg_baseline", "ONLS leg points", maximum=7, whole=True),
    _number("egfr_ml_min_1_73m2", "mL/min/1.73 m²", maximum=200, above_zero=True),
    _number("albumin_g_dl", "g/dL", maximum=7, above_zero=True, slip="was it g/L?"),
    _tri("echo_done"),
    _number("echo_spap_mmhg", "mmHg", maximum=200, minimum=10),
    _tri("pft_dlco_done"),
    _number("dlco_percent_predicted", "% predicted", maximum=200, above_zero=True),
    _tri("urine_protein_24h_measured"),
)

FINDINGS: dict[str, Finding] = {finding.key: finding for finding in CATALOGUE}

# The seven endocrine keys that count for the updated criteria (9.2); diabetes and thyroid
# abnormalities alone do not.
QUALIFYING_ENDOCRINE_KEYS = (
    "endo_hypogonadism",
    "endo_gynecomastia",
    "endo_erectile_dysfunction",
    "endo_amenorrhea",
    "endo_hyperprolactinemia",
    "endo_adrenal_insufficiency",
    "endo_parathyroid_abnormality",
)
DIABETES_AND_THYROID_KEYS = (
    "endo_diabetes_or_glucose_intolerance",
    "endo_hypothyroidism",
    "endo_hyperthyroidism",
)
ENDOCRINE_KEYS = QUALIFYING_ENDOCRINE_KEYS + DIABETES_AND_THYROID_KEYS + ("endo_other_unspecified",)

# Items that apply to one sex only; for the other sex they are not applicable (4.4).
SEX_SPECIFIC_KEYS = {
    "endo_gynecomastia": "male",
    "endo_erectile_dysfunction": "male",
    "endo_amenorrhea": "female",
}

SKIN_KEYS_2003 = (
    "skin_hyperpigmentation",
    "skin_hypertrichosis",
    "skin_hemangioma",
    "skin_plethora",
    "skin_white_nails",
)
SKIN_KEYS_UPDATED = SKIN_KEYS_2003 + ("skin_acrocyanosis", "skin_flushing")
SKIN_KEYS_ANY = SKIN_KEYS_UPDATED + (
    "skin_sclerodermoid_thickening",
    "skin_hyperhidrosis",
    "skin_clubbing",
    "skin_raynaud",
    "skin_other_reported",
)
EDEMA_KEYS_2003 = ("peripheral_edema", "pleural_effusion", "ascites")
VOLUME_OVERLOAD_KEYS = EDEMA_KEYS_2003 + ("pericardial_effusion",)
ORGANOMEGALY_KEYS = ("hepatomegaly", "splenomegaly", "lymphadenopathy")
