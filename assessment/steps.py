"""The guided assessment: one definition of the steps drives the forms, the navigation, the
summary and the admin. Adding a finding means adding it to the model, here, and to the engine.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    guidance: str
    fields: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step(
        "patient",
        "Patient",
        "Use a pseudonymous reference: an MRN or study code, never the patient's name.",
        ("patient_reference", "assessment_date", "age_years", "sex"),
    ),
    Step(
        "neuropathy",
        "Neuropathy",
        "Polyneuropathy is mandatory in every modern criteria set. POEMS is typically a "
        "symmetric, distal-to-proximal, demyelinating neuropathy with axonal loss, often "
        "mistaken for CIDP.",
        (
            "pn_present",
            "pn_symmetry",
            "pn_distribution",
            "pn_fiber_type",
            "ncs_pattern",
            "ncs_conduction_block_or_temporal_dispersion",
            "pn_painful",
            "pn_cranial_nerve_involvement",
            "pn_autonomic_involvement",
            "pn_sensory_ataxia_or_tremor",
            "csf_protein_elevated",
            "immunotherapy_response",
        ),
    ),
    Step(
        "organomegaly",
        "Organomegaly & Castleman disease",
        "Record liver, spleen and nodes separately. A node biopsy showing Castleman disease is "
        "an other major criterion; without a clone it is the Castleman variant.",
        ("hepatomegaly", "splenomegaly", "lymphadenopathy", "lymph_node_histology", "hhv8"),
    ),
    Step(
        "endocrine",
        "Endocrine",
        "Record each axis separately. Diabetes and thyroid disease alone do not satisfy the "
        "updated endocrine criterion, being too common.",
        (
            "endo_hypogonadism",
            "endo_gynecomastia",
            "endo_erectile_dysfunction",
            "endo_amenorrhea",
            "endo_hyperprolactinemia",
            "endo_adrenal_insufficiency",
            "endo_hypothyroidism",
            "endo_hyperthyroidism",
            "endo_parathyroid_abnormality",
            "endo_diabetes_or_glucose_intolerance",
            "endo_other_unspecified",
        ),
    ),
    Step(
        "monoclonal",
        "Monoclonal protein & marrow",
        "The clone is mandatory and usually small and lambda: use serum and urine "
        "immunofixation, not SPEP alone. A clone is absent only when every route is closed.",
        (
            "spep_mspike",
            "serum_ife",
            "urine_ife",
            "heavy_chain",
            "light_chain",
            "clone_reported_method_unspecified",
            "mspike_g_dl",
            "sflc_kappa_mg_l",
            "sflc_lambda_mg_l",
            "sflc_ratio",
            "bm_clonality",
            "bm_plasma_cell_percent",
            "bone_lesion_biopsy",
            "wm_lymphoplasmacytic_infiltrate",
        ),
    ),
    Step(
        "bone",
        "Bone",
        "Sclerotic lesions are an other major criterion. A plain skeletal survey misses them: "
        "only CT with bone windows or PET-CT rules them out.",
        ("bone_imaging", "bone_lesion_type"),
    ),
    Step(
        "skin",
        "Skin",
        "Record each change separately: the criteria sets count different skin lists.",
        (
            "skin_hyperpigmentation",
            "skin_hypertrichosis",
            "skin_hemangioma",
            "skin_plethora",
            "skin_acrocyanosis",
            "skin_flushing",
            "skin_white_nails",
            "skin_sclerodermoid_thickening",
            "skin_hyperhidrosis",
            "skin_clubbing",
            "skin_raynaud",
            "skin_other_reported",
        ),
    ),
    Step(
        "other",
        "Other findings",
        "VEGF needs its value, unit and sample type: the cut-offs differ between plasma and "
        "serum. Oedema, hepatomegaly and blood counts are non-specific: look for other causes.",
        (
            "papilledema",
            "peripheral_edema",
            "pleural_effusion",
            "ascites",
            "pericardial_effusion",
            "platelets_10e9_l",
            "thrombocytosis_reported",
            "hemoglobin_g_dl",
            "erythrocytosis_reported",
            "vegf_value",
            "vegf_unit",
            "vegf_sample",
            "vegf_lab_uln",
            "vegf_multiple_of_uln",
            "vegf_qualitative",
            "renal_insufficiency",
            "hypercalcemia",
            "thrombosis",
            "pulmonary_hypertension",
            "weight_loss",
            "amyloid_biopsy",
            "anti_mag",
            "cryoglobulins",
            "jak2_v617f",
            "nephrotic_proteinuria",
            "cardiomyopathy",
            "macroglossia",
            "phrenic_nerve_palsy",
        ),
    ),
)

STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def step_of(field_name: str) -> Step:
    return next(step for step in STEPS if field_name in step.fields)


def next_step(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def previous_step(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index - 1] if index > 0 else None
