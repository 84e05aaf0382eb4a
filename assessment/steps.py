"""The guided assessment: one definition of the steps drives the forms, the navigation, the
summary and the admin. Adding a finding means adding it to the model, here, and to the engine.
"""

from dataclasses import dataclass

from assessment.criteria.findings import QUALIFYING_ENDOCRINE_KEYS

# The kinds of observation of FHIR's terminology
# (http://terminology.hl7.org/CodeSystem/observation-category), by which the exports class each
# finding: a section's fields share one kind, but for the few named in its `category_of`.
EXAM = "exam"
LABORATORY = "laboratory"
IMAGING = "imaging"
PROCEDURE = "procedure"
THERAPY = "therapy"
SOCIAL_HISTORY = "social-history"


@dataclass(frozen=True)
class Section:
    """A group of fields inside a step, under its own sub-heading (none for a short step)."""

    title: str
    fields: tuple[str, ...]
    guidance: str = ""
    category: str = EXAM
    category_of: tuple[tuple[str, str], ...] = ()

    def category_of_field(self, name: str) -> str:
        return dict(self.category_of).get(name, self.category)


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    guidance: str
    sections: tuple[Section, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for section in self.sections for name in section.fields)


def _one(*fields: str, **kinds) -> tuple[Section, ...]:
    return (Section("", fields, **kinds),)


STEPS: tuple[Step, ...] = (
    Step(
        "patient",
        "Patient",
        "Use a pseudonymous reference: an MRN or study code, never the patient's name.",
        # Age and sex: facts about the patient, not an examination's or a test's result.
        _one("patient_reference", "assessment_date", "age_years", "sex", category=SOCIAL_HISTORY),
    ),
    Step(
        "neuropathy",
        "Neuropathy",
        "Polyneuropathy is mandatory in every modern criteria set. POEMS is typically a "
        "symmetric, distal-to-proximal, demyelinating neuropathy with axonal loss, often "
        "mistaken for CIDP.",
        (
            Section(
                "Examination",
                (
                    "pn_present",
                    "pn_symmetry",
                    "pn_distribution",
                    "pn_fiber_type",
                    "pn_painful",
                    "pn_cranial_nerve_involvement",
                    "pn_autonomic_involvement",
                    "pn_sensory_ataxia_or_tremor",
                ),
            ),
            Section(
                "Overall Neuropathy Limitations Scale",
                ("onls_arm_baseline", "onls_leg_baseline"),
                "The baseline for the follow-up visits' ONLS.",
            ),
            Section(
                "Nerve conduction, CSF and treatment",
                (
                    "ncs_pattern",
                    "ncs_conduction_block_or_temporal_dispersion",
                    "csf_protein_elevated",
                    "immunotherapy_response",
                ),
                category=PROCEDURE,
                category_of=(
                    ("csf_protein_elevated", LABORATORY),
                    ("immunotherapy_response", THERAPY),
                ),
            ),
        ),
    ),
    Step(
        "organomegaly",
        "Organomegaly & Castleman disease",
        "Record liver, spleen and nodes separately. A node biopsy showing Castleman disease is "
        "an other major criterion; without a clone it is the Castleman variant.",
        _one(
            "hepatomegaly",
            "splenomegaly",
            "lymphadenopathy",
            "lymph_node_histology",
            "hhv8",
            category_of=(("lymph_node_histology", LABORATORY), ("hhv8", LABORATORY)),
        ),
    ),
    Step(
        "endocrine",
        "Endocrine",
        "Record each axis separately. Diabetes and thyroid disease alone do not satisfy the "
        "updated endocrine criterion, being too common.",
        (
            Section(
                "Gonadal, pituitary, adrenal and parathyroid axes",
                QUALIFYING_ENDOCRINE_KEYS,
                "These count for every criteria set.",
                category=LABORATORY,
                category_of=(
                    ("endo_gynecomastia", EXAM),
                    ("endo_erectile_dysfunction", EXAM),
                    ("endo_amenorrhea", EXAM),
                ),
            ),
            Section(
                "Thyroid, glucose and other",
                (
                    "endo_hypothyroidism",
                    "endo_hyperthyroidism",
                    "endo_diabetes_or_glucose_intolerance",
                    "endo_other_unspecified",
                ),
                "Alone, these do not count for the updated criteria.",
                category=LABORATORY,
            ),
        ),
    ),
    Step(
        "monoclonal",
        "Monoclonal protein & marrow",
        "The clone is mandatory and usually small and lambda: use serum and urine "
        "immunofixation, not SPEP alone. A clone is absent only when every route is closed.",
        (
            Section(
                "Monoclonal protein",
                (
                    "spep_mspike",
                    "serum_ife",
                    "urine_ife",
                    "heavy_chain",
                    "light_chain",
                    "clone_reported_method_unspecified",
                    "mspike_g_dl",
                ),
                category=LABORATORY,
            ),
            Section(
                "Serum free light chains",
                ("sflc_kappa_mg_l", "sflc_lambda_mg_l", "sflc_ratio"),
                category=LABORATORY,
            ),
            Section(
                "Marrow and lesion biopsy",
                (
                    "marrow_biopsy_done",
                    "bm_clonality",
                    "bm_plasma_cell_percent",
                    "bone_lesion_biopsy",
                    "wm_lymphoplasmacytic_infiltrate",
                ),
                category=LABORATORY,
            ),
        ),
    ),
    Step(
        "bone",
        "Bone",
        "Sclerotic lesions are an other major criterion. A plain skeletal survey misses them: "
        "only CT with bone windows or PET-CT rules them out.",
        (
            Section("", ("bone_imaging", "bone_lesion_type"), category=IMAGING),
            Section(
                "Whole-body staging",
                ("staging_imaging", "bone_lesion_count", "fdg_avid_lesions"),
                "For staging after the diagnosis: the lesions counted on the whole-body CT or "
                "PET-CT.",
                category=IMAGING,
            ),
        ),
    ),
    Step(
        "skin",
        "Skin",
        "Record each change separately: the criteria sets count different skin lists.",
        (
            Section(
                "Counted by the criteria sets",
                (
                    "skin_hyperpigmentation",
                    "skin_hypertrichosis",
                    "skin_hemangioma",
                    "skin_plethora",
                    "skin_acrocyanosis",
                    "skin_flushing",
                    "skin_white_nails",
                ),
            ),
            Section(
                "Counted only by the 1980 convention",
                (
                    "skin_sclerodermoid_thickening",
                    "skin_hyperhidrosis",
                    "skin_clubbing",
                    "skin_raynaud",
                    "skin_other_reported",
                ),
            ),
        ),
    ),
    Step(
        "other",
        "Other findings",
        "Enter VEGF as the laboratory reports it: the cut-offs differ between plasma and serum. "
        "Oedema, hepatomegaly and blood counts are non-specific: look for other causes.",
        (
            Section(
                "Papilloedema and volume overload",
                (
                    "papilledema",
                    "peripheral_edema",
                    "pleural_effusion",
                    "ascites",
                    "pericardial_effusion",
                ),
            ),
            Section(
                "Blood counts",
                (
                    "platelets_10e9_l",
                    "thrombocytosis_reported",
                    "hemoglobin_g_dl",
                    "erythrocytosis_reported",
                ),
                category=LABORATORY,
            ),
            Section(
                "VEGF",
                (
                    "vegf_value",
                    "vegf_unit",
                    "vegf_sample",
                    "vegf_lab_uln",
                    "vegf_multiple_of_uln",
                    "vegf_qualitative",
                    "vegf_assay",
                ),
                "Enter the result as the laboratory reports it: the value with its unit, the "
                "sample and the laboratory's upper limit; or only the multiple of that limit, or "
                "only “raised” or “normal”, when that is all the report says.",
                category=LABORATORY,
            ),
            Section(
                "Amyloid and organ involvement",
                (
                    "amyloid_biopsy",
                    "nephrotic_proteinuria",
                    "cardiomyopathy",
                    "macroglossia",
                    "renal_insufficiency",
                    "hypercalcemia",
                    "pulmonary_hypertension",
                    "phrenic_nerve_palsy",
                    "thrombosis",
                    "weight_loss",
                ),
                category_of=(
                    ("amyloid_biopsy", LABORATORY),
                    ("nephrotic_proteinuria", LABORATORY),
                    ("renal_insufficiency", LABORATORY),
                    ("hypercalcemia", LABORATORY),
                ),
            ),
            Section(
                "Other tests", ("anti_mag", "cryoglobulins", "jak2_v617f"), category=LABORATORY
            ),
        ),
    ),
    Step(
        "staging",
        "Staging",
        "The baseline work-up after the diagnosis: kidney, albumin, heart and lung. The course "
        "page shows these beside the published prognostic factors; nothing here changes the "
        "criteria.",
        (
            Section(
                "Kidney and albumin",
                ("egfr_ml_min_1_73m2", "urine_protein_24h_measured", "albumin_g_dl"),
                category=LABORATORY,
            ),
            Section("Heart", ("echo_done", "echo_spap_mmhg"), category=IMAGING),
            # Lung function is measured, not imaged: another procedure, like the nerve studies.
            Section("Lung", ("pft_dlco_done", "dlco_percent_predicted"), category=PROCEDURE),
        ),
    ),
)

STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def step_of(field_name: str) -> Step:
    return next(step for step in STEPS if field_name in step.fields)


def section_of(field_name: str) -> Section:
    return next(s for step in STEPS for s in step.sections if field_name in s.fields)


def category_of(field_name: str) -> str:
    """The kind of observation a finding is (FHIR's observation-category code)."""
    return section_of(field_name).category_of_field(field_name)


def next_step(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def previous_step(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index - 1] if index > 0 else None
