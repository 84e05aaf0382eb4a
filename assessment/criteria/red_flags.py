"""Differential-diagnosis warnings, with the exact triggers of criteria.md 9.5.

Warnings stand apart from the verdict: they are shown even when the criteria are met. Each
trigger returns the findings that fired it, or None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from . import thresholds as t
from .criteria_sets import (
    DISPENZIERI_2003,
    DISPENZIERI_UPDATED,
    DOES_NOT_MEET,
    INDETERMINATE,
    JAPAN_2015,
    POSITIVE_RESULTS,
    SetResult,
    result_of,
)
from .derived import ITEMS_BY_ID, Derived
from .findings import DIABETES_AND_THYROID_KEYS, QUALIFYING_ENDOCRINE_KEYS
from .logic import NO, UNKNOWN, YES, Tri
from .validation import Findings, vegf_pg_ml, vegf_uln_pg_ml

Keys = tuple[str, ...]


class Severity(StrEnum):
    HIGH = "high"  # an alternative diagnosis is likely or a mandatory criterion fails
    CAUTION = "caution"  # atypical or misleading data
    INFO = "info"  # context


@dataclass(frozen=True, slots=True)
class Context:
    findings: Findings
    derived: Mapping[str, Derived]
    results: Mapping[str, SetResult]

    def item(self, item_id: str) -> Tri:
        return self.derived[item_id].status

    def because(self, *item_ids: str) -> Keys:
        """The findings behind some derived items, each key once."""
        keys: dict[str, None] = {}
        for item_id in item_ids:
            keys.update(dict.fromkeys(self.derived[item_id].findings))
        return tuple(keys)


@dataclass(frozen=True, slots=True)
class RedFlag:
    id: str
    title: str  # a few words, for a heading
    severity: Severity
    message: str
    sources: tuple[str, ...]
    trigger: Callable[[Context], Keys | None]


class Warning(NamedTuple):
    id: str
    title: str
    severity: Severity
    message: str
    findings: Keys
    sources: tuple[str, ...]


def _matching(f: Findings, conditions: Mapping[str, tuple[str, ...]]) -> Keys | None:
    """The keys whose value is among the listed ones; None when none is."""
    keys = tuple(key for key, values in conditions.items() if f.is_(key, *values))
    return keys or None


def _demyelinating(f: Findings) -> bool:
    return f.is_("ncs_pattern", "demyelinating", "mixed")


def kappa(c: Context) -> Keys | None:
    return _matching(
        c.findings,
        {
            "light_chain": ("kappa",),
            "bm_clonality": ("kappa_restricted",),
            "bone_lesion_biopsy": ("clonal_plasma_cells_kappa",),
        },
    )


def lambda_clone(f: Findings) -> Keys | None:
    return _matching(
        f,
        {
            "light_chain": ("lambda",),
            "bm_clonality": ("lambda_restricted",),
            "bone_lesion_biopsy": ("clonal_plasma_cells_lambda",),
        },
    )


def igm(c: Context) -> Keys | None:
    return _matching(c.findings, {"heavy_chain": ("IgM",)})


def waldenstrom(c: Context) -> Keys | None:
    return _matching(c.findings, {"wm_lymphoplasmacytic_infiltrate": ("yes",)})


def anti_mag(c: Context) -> Keys | None:
    f = c.findings
    if f.is_("anti_mag", "positive"):
        return ("anti_mag",)
    if (
        f.is_("heavy_chain", "IgM")
        and f.is_("pn_sensory_ataxia_or_tremor", "yes")
        and _demyelinating(f)
    ):
        return ("heavy_chain", "pn_sensory_ataxia_or_tremor", "ncs_pattern")
    return None


def favours_cidp(c: Context) -> Keys | None:
    f = c.findings
    keys = (
        _matching(
            f,
            {
                "ncs_conduction_block_or_temporal_dispersion": ("yes",),
                "immunotherapy_response": ("responded",),
            },
        )
        or ()
    )
    if f.is_("pn_present", "yes") and _demyelinating(f) and c.item("clonal_pcd") is NO:
        keys += ("pn_present", "ncs_pattern") + c.because("clonal_pcd")
    return keys or None


_CIDP_LOOK_FURTHER = (
    "vegf_elevated_dispenzieri",
    "sclerotic_bone_lesion",
    "thrombocytosis_or_polycythemia",
    "skin_changes_updated",
    "endocrinopathy_any",
    "papilledema",
)


def cidp_misdiagnosis(c: Context) -> Keys | None:
    f = c.findings
    if not f.is_("pn_present", "yes") or c.item("clonal_pcd") is NO:
        return None
    if f.is_("immunotherapy_response", "no_response"):
        reason: Keys = ("immunotherapy_response",)
    elif _demyelinating(f) and f.is_("csf_protein_elevated", "yes"):
        reason = ("ncs_pattern", "csf_protein_elevated")
    else:
        return None
    unchecked = [item for item in _CIDP_LOOK_FURTHER if c.item(item) is UNKNOWN]
    if not unchecked:
        return None
    return ("pn_present", *reason) + c.because(*unchecked)


def cidp_vs_poems_lambda(c: Context) -> Keys | None:
    f = c.findings
    clone = lambda_clone(f)
    if not (f.is_("pn_present", "yes") and _demyelinating(f) and clone):
        return None
    majors = (
        "sclerotic_bone_lesion",
        "castleman",
        "vegf_elevated_dispenzieri",
        "vegf_elevated_japan",
    )
    if any(c.item(item) is YES for item in majors) or cidp_misdiagnosis(c):
        return None
    return ("pn_present", "ncs_pattern", *clone)


_MGUS_ITEMS_ABSENT = (
    "castleman",
    "sclerotic_bone_lesion",
    "vegf_elevated_dispenzieri",
    "endocrinopathy_updated",
    "skin_changes_updated",
    "papilledema",
)
_MGUS_FINDINGS_ABSENT = (
    "splenomegaly",
    "lymphadenopathy",
    "pleural_effusion",
    "ascites",
    "pericardial_effusion",
)


def mgus_neuropathy(c: Context) -> Keys | None:
    f = c.findings
    if not (
        f.is_("pn_present", "yes")
        and c.item("clonal_pcd") is YES
        and not f.is_("heavy_chain", "IgM")
        and not myeloma(c)
        and all(c.item(item) is NO for item in _MGUS_ITEMS_ABSENT)
        and all(f.is_(key, "no") for key in _MGUS_FINDINGS_ABSENT)
    ):
        return None
    return ("pn_present",) + c.because("clonal_pcd") + _MGUS_FINDINGS_ABSENT


def al_amyloidosis(c: Context) -> Keys | None:
    f = c.findings
    keys = (
        _matching(
            f,
            {
                "pn_fiber_type": ("small_fiber_only",),
                "pn_autonomic_involvement": ("yes",),
                "nephrotic_proteinuria": ("yes",),
                "cardiomyopathy": ("yes",),
                "macroglossia": ("yes",),
                "amyloid_biopsy": ("positive",),
            },
        )
        or ()
    )
    ratio = f.number("sflc_ratio")
    if (
        ratio is not None
        and (ratio < t.AMYLOID_FLC_RATIO_LOW.value or ratio > t.AMYLOID_FLC_RATIO_HIGH.value)
        and not myeloma(c)
    ):
        keys += ("sflc_ratio",)
    return keys or None


def autonomic_or_cranial(c: Context) -> Keys | None:
    return _matching(
        c.findings, {"pn_cranial_nerve_involvement": ("yes",), "pn_autonomic_involvement": ("yes",)}
    )


def myeloma(c: Context) -> Keys | None:
    f = c.findings
    plasma_cells, mspike, ratio = (
        f.number("bm_plasma_cell_percent"),
        f.number("mspike_g_dl"),
        f.number("sflc_ratio"),
    )
    hemoglobin = f.number("hemoglobin_g_dl")
    keys: Keys = ()
    if plasma_cells is not None and plasma_cells >= t.MYELOMA_MARROW_PLASMA_CELLS.value:
        keys += ("bm_plasma_cell_percent",)
    if mspike is not None and mspike >= t.MYELOMA_MSPIKE.value:
        keys += ("mspike_g_dl",)
    if f.is_("bone_lesion_type", "purely_lytic"):
        keys += ("bone_lesion_type",)
    if ratio is not None and (
        ratio >= t.MYELOMA_FLC_RATIO_HIGH.value or ratio <= t.MYELOMA_FLC_RATIO_LOW.value
    ):
        keys += ("sflc_ratio",)
    if c.item("clonal_pcd") is YES:
        if f.is_("hypercalcemia", "yes"):
            keys += ("hypercalcemia",)
        if hemoglobin is not None and hemoglobin < t.MYELOMA_ANEMIA.value:
            keys += ("hemoglobin_g_dl",)
    return keys or None


def lytic_lesions(c: Context) -> Keys | None:
    return _matching(
        c.findings, {"bone_lesion_type": ("purely_lytic", "lytic_sclerosis_not_described")}
    )


def cytopenia(c: Context) -> Keys | None:
    f = c.findings
    hemoglobin, platelets = f.number("hemoglobin_g_dl"), f.number("platelets_10e9_l")
    anemia = t.ANEMIA_MALE if f.is_("sex", "male") else t.ANEMIA_FEMALE
    keys: Keys = ()
    if hemoglobin is not None and hemoglobin < anemia.value:
        keys += ("hemoglobin_g_dl", "sex")
    if platelets is not None and platelets < t.THROMBOCYTOPENIA.value:
        keys += ("platelets_10e9_l",)
    return keys or None


def mpn_mimic(c: Context) -> Keys | None:
    if c.item("thrombocytosis_or_polycythemia") is not YES:
        return None
    others = (
        "extravascular_volume_overload",
        "endocrinopathy_updated",
        "skin_changes_updated",
        "papilledema",
    )
    if any(c.item(item) is YES for item in others):
        return None
    return c.because("thrombocytosis_or_polycythemia")


def castleman_variant(c: Context) -> Keys | None:
    if c.item("castleman") is YES and c.item("clonal_pcd") is NO:
        return c.because("castleman", "clonal_pcd")
    return None


def naming_castleman_variant(c: Context) -> Keys | None:
    if c.item("castleman") is YES and c.item("clonal_pcd") is YES:
        return c.because("castleman", "clonal_pcd")
    return None


def no_polyneuropathy(c: Context) -> Keys | None:
    return _matching(c.findings, {"pn_present": ("no",)})


def ife_not_done(c: Context) -> Keys | None:
    return _matching(c.findings, {"serum_ife": ("not_done",), "urine_ife": ("not_done",)})


def no_clonal_pcd(c: Context) -> Keys | None:
    f = c.findings
    clone = c.item("clonal_pcd")
    if clone is NO:
        return c.because("clonal_pcd")
    if (
        clone is UNKNOWN
        and f.is_("serum_ife", "negative")
        and f.is_("bm_clonality", "no_clonal_plasma_cells")
    ):
        return ("serum_ife", "bm_clonality")
    return None


def no_clonal_pcd_yet(c: Context) -> Keys | None:
    f = c.findings
    if (
        c.item("clonal_pcd") is not UNKNOWN
        or c.results[DISPENZIERI_UPDATED.key].result != INDETERMINATE
        or no_clonal_pcd(c)
        or ife_not_done(c)
    ):
        return None
    return _matching(
        f,
        {
            "spep_mspike": ("not_detected",),
            "serum_ife": ("negative",),
            "urine_ife": ("negative",),
            "bm_clonality": ("no_clonal_plasma_cells",),
            "bone_lesion_biopsy": ("no_clonal_cells",),
        },
    )


def spep_negative_ife_positive(c: Context) -> Keys | None:
    f = c.findings
    if not f.is_("spep_mspike", "not_detected"):
        return None
    positive = _matching(f, {"serum_ife": ("positive",), "urine_ife": ("positive",)})
    return ("spep_mspike", *positive) if positive else None


def pediatric(c: Context) -> Keys | None:
    age = c.findings.number("age_years")
    return ("age_years",) if age is not None and age < t.PEDIATRIC_AGE.value else None


def diabetes_or_thyroid_only(c: Context) -> Keys | None:
    f = c.findings
    present = tuple(key for key in DIABETES_AND_THYROID_KEYS if f.is_(key, "yes"))
    qualifying = QUALIFYING_ENDOCRINE_KEYS + ("endo_other_unspecified",)
    if not present or any(f.is_(key, "yes") for key in qualifying):
        return None
    return present


def diabetic_neuropathy(c: Context) -> Keys | None:
    f = c.findings
    # An unknown pattern or distribution counts as possibly length-dependent axonal (9.5).
    if (
        f.is_("endo_diabetes_or_glucose_intolerance", "yes")
        and f.is_("pn_present", "yes")
        and not _demyelinating(f)
        and not f.is_("pn_distribution", "distal_with_proximal_spread", "proximal_and_distal")
    ):
        return (
            "endo_diabetes_or_glucose_intolerance",
            "pn_present",
            "ncs_pattern",
            "pn_distribution",
        )
    return None


def erectile_dysfunction_may_be_autonomic(c: Context) -> Keys | None:
    f = c.findings
    if f.is_("endo_erectile_dysfunction", "yes") and not f.is_("endo_hypogonadism", "yes"):
        return ("endo_erectile_dysfunction", "endo_hypogonadism")
    return None


def axonal_only(c: Context) -> Keys | None:
    if (
        c.findings.is_("ncs_pattern", "axonal")
        and c.results[DISPENZIERI_UPDATED.key].result != DOES_NOT_MEET
    ):
        return ("ncs_pattern",)
    return None


def phrenic_respiratory(c: Context) -> Keys | None:
    return _matching(c.findings, {"phrenic_nerve_palsy": ("yes",)})


_NONSPECIFIC_FINDINGS = (
    "peripheral_edema",
    "pleural_effusion",
    "ascites",
    "pericardial_effusion",
    "hepatomegaly",
    "thrombocytosis_reported",
    "erythrocytosis_reported",
    "platelets_10e9_l",
    "hemoglobin_g_dl",
)
_NONSPECIFIC_NORMAL = {
    **dict.fromkeys(_NONSPECIFIC_FINDINGS[:7], "no"),
    "platelets_10e9_l": t.NORMAL_PLATELETS,
    "hemoglobin_g_dl": t.NORMAL_HEMOGLOBIN,
}
_NONSPECIFIC_SETS = (DISPENZIERI_2003, DISPENZIERI_UPDATED, JAPAN_2015)
# The derived items those findings feed; only these change when they are set to normal.
_NONSPECIFIC_ITEMS = (
    "organomegaly",
    "edema_2003",
    "extravascular_volume_overload",
    "thrombocytosis_or_polycythemia",
)


def nonspecific_feature(c: Context) -> Keys | None:
    """Would a positive result stand with oedema, hepatomegaly and blood counts set to normal?"""
    positive = [s for s in _NONSPECIFIC_SETS if c.results[s.key].is_positive]
    if not positive:
        return None
    normal = c.findings.replace(_NONSPECIFIC_NORMAL)
    derived = {**c.derived, **{i: ITEMS_BY_ID[i].derive(normal) for i in _NONSPECIFIC_ITEMS}}
    if all(result_of(s, derived, normal) in POSITIVE_RESULTS for s in positive):
        return None
    return tuple(key for key in _NONSPECIFIC_FINDINGS if c.findings.get(key) is not None)


def insufficient_data(c: Context) -> Keys | None:
    updated = c.results[DISPENZIERI_UPDATED.key]
    unknown = [item.id for item in updated.items if item.status is UNKNOWN]
    if updated.result == INDETERMINATE and len(unknown) >= t.INSUFFICIENT_DATA_UNKNOWN_ITEMS:
        return c.because(*unknown)
    return None


def vegf_sample_unknown(c: Context) -> Keys | None:
    f = c.findings
    if f.number("vegf_value") is not None and f.get("vegf_sample") is None:
        return ("vegf_value", "vegf_sample")
    return None


def vegf_qualitative_only(c: Context) -> Keys | None:
    f = c.findings
    if (
        f.number("vegf_value") is None
        and f.number("vegf_multiple_of_uln") is None
        and f.is_("vegf_qualitative", "elevated", "normal")
    ):
        return ("vegf_qualitative",)
    return None


def vegf_multiple_of_uln(c: Context) -> Keys | None:
    f = c.findings
    if f.number("vegf_value") is None and f.number("vegf_multiple_of_uln") is not None:
        return ("vegf_multiple_of_uln",)
    return None


def vegf_borderline(c: Context) -> Keys | None:
    """A plasma or serum value above the normal range but below the cut-off (9.2, 9.5)."""
    f = c.findings
    if (
        f.number("vegf_value") is not None
        and f.is_("vegf_sample", "plasma", "serum")
        and c.item("vegf_elevated_dispenzieri") is UNKNOWN
    ):
        return c.because("vegf_elevated_dispenzieri")
    return None


def vegf_above_lab_uln(c: Context) -> Keys | None:
    """Above this laboratory's limit, yet in the range the criteria read as normal."""
    value, uln = vegf_pg_ml(c.findings), vegf_uln_pg_ml(c.findings)
    if (
        value is not None
        and uln is not None
        and value > uln
        and c.item("vegf_elevated_dispenzieri") is NO
    ):
        return c.because("vegf_elevated_dispenzieri")
    return None


def vegf_confounders(c: Context) -> Keys | None:
    vegf = [i for i in ("vegf_elevated_dispenzieri", "vegf_elevated_japan") if c.item(i) is YES]
    if vegf and c.item("sclerotic_bone_lesion") is not YES and c.item("castleman") is not YES:
        return c.because(*vegf)
    return None


def xray_only_bone_survey(c: Context) -> Keys | None:
    f = c.findings
    if f.is_("bone_imaging", "skeletal_survey_only") and f.is_("bone_lesion_type", "none"):
        return ("bone_imaging", "bone_lesion_type")
    return None


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        id="W_KAPPA",
        title="Kappa clone: unusual for POEMS",
        severity=Severity.CAUTION,
        message=(
            "The POEMS clone is almost always lambda. Re-check immunofixation for a second "
            "(lambda) clone and consider MGUS neuropathy, AL amyloidosis, myeloma, or anti-MAG "
            "neuropathy if IgM. A kappa clone still satisfies the criterion as worded."
        ),
        sources=("S3", "S1", "S43"),
        trigger=kappa,
    ),
    RedFlag(
        id="W_IGM",
        title="IgM clone: unusual for POEMS",
        severity=Severity.CAUTION,
        message=(
            "POEMS clones are usually IgA or IgG. With an IgM clone test anti-MAG antibodies, "
            "look for a lymphoplasmacytic marrow infiltrate (Waldenström) and check "
            "cryoglobulins, C4 and HCV."
        ),
        sources=("S1", "S19", "S29"),
        trigger=igm,
    ),
    RedFlag(
        id="W_WM",
        title="Waldenström infiltrate in the marrow",
        severity=Severity.HIGH,
        message=(
            "Lymphoplasmacytic marrow infiltrate: POEMS with Waldenström macroglobulinaemia is a "
            "single case report; Waldenström, anti-MAG or cryoglobulin neuropathy is more likely."
        ),
        sources=("S1",),
        trigger=waldenstrom,
    ),
    RedFlag(
        id="W_ANTI_MAG",
        title="Anti-MAG neuropathy likely",
        severity=Severity.HIGH,
        message=(
            "Anti-MAG (DADS) neuropathy is likely: IgM (usually kappa), prolonged distal "
            "latencies, no conduction block, sensory ataxia and tremor. Test anti-MAG antibodies "
            "if not done."
        ),
        sources=("S29", "S19"),
        trigger=anti_mag,
    ),
    RedFlag(
        id="W_FAVOURS_CIDP",
        title="These findings favour CIDP",
        severity=Severity.HIGH,
        message=(
            "These findings favour CIDP: POEMS shows more axonal loss and uniform slowing, rarely "
            "conduction block, temporal dispersion or sural sparing, and rarely responds to IVIG "
            "or plasma exchange."
        ),
        sources=("S15", "S24"),
        trigger=favours_cidp,
    ),
    RedFlag(
        id="W_CIDP_MISDIAGNOSIS",
        title="Do not settle on CIDP yet",
        severity=Severity.CAUTION,
        message=(
            "CIDP is the commonest misdiagnosis of POEMS. Before settling on CIDP, check VEGF, CT "
            "bone windows, platelets and Hb, skin, endocrine axes and fundi."
        ),
        sources=("S3", "S4", "S16", "S19"),
        trigger=cidp_misdiagnosis,
    ),
    RedFlag(
        id="W_CIDP_VS_POEMS_LAMBDA",
        title="Demyelinating neuropathy with a lambda clone",
        severity=Severity.CAUTION,
        message=(
            "Demyelinating neuropathy with a lambda clone: exclude POEMS before labelling it CIDP "
            "or MGUS neuropathy (VEGF, CT bone windows, platelets, skin, endocrine axes, "
            "fundoscopy)."
        ),
        sources=("S3", "S4", "S16", "S19"),
        trigger=cidp_vs_poems_lambda,
    ),
    RedFlag(
        id="W_MGUS_NEUROPATHY",
        title="MGUS neuropathy more likely",
        severity=Severity.CAUTION,
        message=(
            "Neuropathy with a monoclonal protein and no other POEMS feature: an IgG/IgA "
            "paraproteinaemic neuropathy or a coincidental MGUS is more likely; re-evaluate if "
            "systemic features appear."
        ),
        sources=("S19",),
        trigger=mgus_neuropathy,
    ),
    RedFlag(
        id="W_AL_AMYLOIDOSIS",
        title="Consider AL amyloidosis",
        severity=Severity.HIGH,
        message=(
            "Consider AL amyloidosis (small-fibre or autonomic neuropathy, nephrotic proteinuria, "
            "cardiomyopathy, macroglossia, abnormal FLC ratio): fat-pad Congo red, NT-proBNP, "
            "troponin, 24-h urine protein. The 2003 and acronym rules can be met spuriously."
        ),
        sources=("S28",),
        trigger=al_amyloidosis,
    ),
    RedFlag(
        id="W_AUTONOMIC_OR_CRANIAL",
        title="Cranial or autonomic involvement: atypical",
        severity=Severity.CAUTION,
        message=(
            "Cranial nerve or prominent autonomic involvement is atypical for POEMS; consider AL "
            "amyloidosis, GBS or CIDP variants, and vasculitis."
        ),
        sources=("S1", "S28"),
        trigger=autonomic_or_cranial,
    ),
    RedFlag(
        id="W_MYELOMA",
        title="Features of multiple myeloma",
        severity=Severity.HIGH,
        message=(
            "Features of multiple myeloma: classic myeloma is not associated with POEMS, whose "
            "marrow usually holds 5% plasma cells or fewer. Assess against myeloma criteria (the "
            "Japanese criteria exclude it)."
        ),
        sources=("S1", "S1b", "S2", "S10", "S44", "S52"),
        trigger=myeloma,
    ),
    RedFlag(
        id="W_LYTIC_LESIONS",
        title="Lytic bone lesions: atypical",
        severity=Severity.CAUTION,
        message=(
            "POEMS bone lesions are sclerotic or mixed; purely lytic ones are uncommon. Review CT "
            "bone windows for a sclerotic component or rim."
        ),
        sources=("S1b", "S45"),
        trigger=lytic_lesions,
    ),
    RedFlag(
        id="W_CYTOPENIA",
        title="Anaemia or thrombocytopenia: unusual",
        severity=Severity.CAUTION,
        message=(
            "Anaemia or thrombocytopenia is distinctively unusual in POEMS unless Castleman "
            "disease is present; look for another cause (myeloma, marrow disease, "
            "Castleman/TAFRO)."
        ),
        sources=("S7", "S8"),
        trigger=cytopenia,
    ),
    RedFlag(
        id="W_MPN_MIMIC",
        title="Thrombocytosis or erythrocytosis alone",
        severity=Severity.CAUTION,
        message=(
            "Thrombocytosis or erythrocytosis without other POEMS features: POEMS is often "
            "misdiagnosed as a myeloproliferative neoplasm; check JAK2 and reconsider an ET/PV "
            "label."
        ),
        sources=("S3", "S46"),
        trigger=mpn_mimic,
    ),
    RedFlag(
        id="W_CASTLEMAN_VARIANT",
        title="Castleman disease variant of POEMS",
        severity=Severity.HIGH,
        message=(
            "Castleman disease without a clonal plasma-cell disorder: the Castleman disease "
            "variant of POEMS is a separate entity; evaluate it separately (HHV-8 status, iMCD "
            "criteria)."
        ),
        sources=("S3", "S21"),
        trigger=castleman_variant,
    ),
    RedFlag(
        id="W_NAMING_CASTLEMAN_VARIANT",
        title="POEMS with Castleman disease",
        severity=Severity.INFO,
        message=(
            "Castleman disease with a clonal plasma-cell disorder is POEMS with Castleman "
            "disease, not the Castleman disease variant."
        ),
        sources=("S3", "S42"),
        trigger=naming_castleman_variant,
    ),
    RedFlag(
        id="W_NO_PN",
        title="No polyneuropathy (mandatory criterion)",
        severity=Severity.HIGH,
        message=(
            "Polyneuropathy, a mandatory criterion, is absent. Atypical POEMS without neuropathy "
            "and the Castleman variant exist: refer to a specialist centre."
        ),
        sources=("S1", "S3"),
        trigger=no_polyneuropathy,
    ),
    RedFlag(
        id="W_IFE_NOT_DONE",
        title="Immunofixation not done",
        severity=Severity.CAUTION,
        message=(
            "Immunofixation not done: SPEP alone misses the small POEMS clone. Order serum and "
            "24-h urine immunofixation and serum free light chains."
        ),
        sources=("S20", "S47"),
        trigger=ife_not_done,
    ),
    RedFlag(
        id="W_NO_CLONAL_PCD",
        title="No clonal plasma-cell disorder (mandatory criterion)",
        severity=Severity.HIGH,
        message=(
            "No clonal plasma-cell disorder shown, a mandatory criterion. An "
            "immunofixation-negative atypical variant exists: consider marrow lambda "
            "immunohistochemistry, biopsy of a sclerotic lesion, and repeating immunofixation (a "
            "clone can surface months later)."
        ),
        sources=("S20", "S3"),
        trigger=no_clonal_pcd,
    ),
    RedFlag(
        id="W_NO_CLONAL_PCD_YET",
        title="No clone shown yet",
        severity=Severity.CAUTION,
        message=(
            "No clone shown so far, but not every route is closed: complete serum and urine "
            "immunofixation, free light chains, marrow lambda immunohistochemistry, or a lesion "
            "biopsy."
        ),
        sources=("S20", "S47"),
        trigger=no_clonal_pcd_yet,
    ),
    RedFlag(
        id="W_SPEP_NEGATIVE_IFE_POSITIVE",
        title="Clone shown by immunofixation only",
        severity=Severity.INFO,
        message=(
            "SPEP showed no M-spike but immunofixation is positive: small POEMS clones are often "
            "invisible on SPEP."
        ),
        sources=("S27", "S10"),
        trigger=spep_negative_ife_positive,
    ),
    RedFlag(
        id="W_PEDIATRIC",
        title="Paediatric patient",
        severity=Severity.INFO,
        message=("Paediatric onset of POEMS is rare (15-year-olds reported) but not an exclusion."),
        sources=("S1", "S26"),
        trigger=pediatric,
    ),
    RedFlag(
        id="W_ENDO_DM_THYROID_ONLY",
        title="Only diabetes or thyroid disease",
        severity=Severity.CAUTION,
        message=(
            "Only diabetes and/or thyroid disease among the endocrine findings: not enough for "
            "the updated endocrine criterion (it counts in the 2003, acronym and Japanese sets). "
            "Test gonadal, adrenal, pituitary and parathyroid axes."
        ),
        sources=("S3", "S6"),
        trigger=diabetes_or_thyroid_only,
    ),
    RedFlag(
        id="W_DIABETIC_NEUROPATHY",
        title="Diabetic neuropathy may explain it",
        severity=Severity.CAUTION,
        message=(
            "Diabetes with a possibly length-dependent axonal neuropathy: diabetic neuropathy may "
            "explain it."
        ),
        sources=("S1",),
        trigger=diabetic_neuropathy,
    ),
    RedFlag(
        id="W_ED_MAY_BE_AUTONOMIC",
        title="Erectile dysfunction may be autonomic",
        severity=Severity.CAUTION,
        message=(
            "Erectile dysfunction without proven hypogonadism may be autonomic: confirm with "
            "testosterone, LH and FSH."
        ),
        sources=("S18",),
        trigger=erectile_dysfunction_may_be_autonomic,
    ),
    RedFlag(
        id="W_AXONAL_ONLY",
        title="Purely axonal neuropathy: atypical",
        severity=Severity.CAUTION,
        message=(
            "A purely axonal neuropathy is atypical (POEMS is typically demyelinating) but does "
            "not exclude it."
        ),
        sources=("S3",),
        trigger=axonal_only,
    ),
    RedFlag(
        id="W_PHRENIC_RESPIRATORY",
        title="Phrenic nerve palsy: unusual",
        severity=Severity.CAUTION,
        message=(
            "Phrenic or diaphragmatic palsy is unusual in POEMS; respiratory failure is more "
            "often from effusions or pulmonary hypertension."
        ),
        sources=("S48",),
        trigger=phrenic_respiratory,
    ),
    RedFlag(
        id="W_NONSPECIFIC_FEATURE",
        title="The result rests on non-specific features",
        severity=Severity.CAUTION,
        message=(
            "A positive result rests on non-specific features (oedema, effusions, hepatomegaly, "
            "thrombocytosis or erythrocytosis). Features should be temporally related and have no "
            "other cause (heart, kidney, liver or venous disease)."
        ),
        sources=("S5", "S3"),
        trigger=nonspecific_feature,
    ),
    RedFlag(
        id="W_INSUFFICIENT_DATA",
        title="Most items not yet known",
        severity=Severity.INFO,
        message=(
            "Most items of the updated criteria are not yet known: the verdict waits on the "
            "work-up listed below."
        ),
        sources=(),
        trigger=insufficient_data,
    ),
    RedFlag(
        id="W_VEGF_SAMPLE_UNKNOWN",
        title="VEGF sample not stated",
        severity=Severity.CAUTION,
        message=(
            "VEGF cut-offs depend on the sample (plasma ≥ 200, serum ≥ 1920 pg/mL): record "
            "whether the value is from plasma or serum."
        ),
        sources=("S11", "S13"),
        trigger=vegf_sample_unknown,
    ),
    RedFlag(
        id="W_VEGF_QUALITATIVE_ONLY",
        title="VEGF reported only as raised or normal",
        severity=Severity.CAUTION,
        message=(
            "VEGF is recorded only as raised or normal: enter the value, unit and sample type; a "
            "qualitative result does not count."
        ),
        sources=("S11", "S14"),
        trigger=vegf_qualitative_only,
    ),
    RedFlag(
        id="W_VEGF_MULTIPLE_OF_ULN",
        title="VEGF reported only as a multiple of the limit",
        severity=Severity.CAUTION,
        message=(
            "VEGF is recorded only as a multiple of the laboratory's upper limit: enter the "
            "value, unit and sample type; the cut-offs are absolute."
        ),
        sources=("S5", "S11", "S13"),
        trigger=vegf_multiple_of_uln,
    ),
    RedFlag(
        id="W_VEGF_BORDERLINE",
        title="Borderline VEGF: the criterion stays open",
        severity=Severity.CAUTION,
        message=(
            "VEGF above the normal range but below the cut-off of the updated criteria (plasma "
            "≥ 200, serum ≥ 1920 pg/mL). The cut-off is 95% specific but only 68% sensitive, so "
            "the VEGF criterion stays open rather than unmet: repeat plasma VEGF in the same "
            "laboratory, or weigh the other major criteria (sclerotic lesion, Castleman disease)."
        ),
        sources=("S3", "S11", "S13"),
        trigger=vegf_borderline,
    ),
    RedFlag(
        id="W_VEGF_ABOVE_LAB_ULN",
        title="VEGF above this laboratory's limit, yet normal",
        severity=Severity.CAUTION,
        message=(
            "VEGF is above this laboratory's upper limit but within the range the criteria read "
            "as normal (plasma ≤ 96.2 pg/mL, serum < 1000 pg/mL), so it does not count as "
            "elevated. Check the laboratory's assay and sample, and repeat if POEMS is still "
            "suspected."
        ),
        sources=("S3", "S14"),
        trigger=vegf_above_lab_uln,
    ),
    RedFlag(
        id="W_VEGF_CONFOUNDERS",
        title="VEGF carries the verdict: exclude confounders",
        severity=Severity.CAUTION,
        message=(
            "VEGF carries the verdict without a sclerotic lesion or Castleman disease: exclude "
            "confounders (iron deficiency, COPD, sleep apnoea, cancer, vasculitis, inflammation, "
            "anti-MAG, Waldenström) and repeat after acute illness."
        ),
        sources=("S12", "S14"),
        trigger=vegf_confounders,
    ),
    RedFlag(
        id="W_XRAY_ONLY_BONE_SURVEY",
        title="Plain skeletal survey only",
        severity=Severity.CAUTION,
        message=(
            "A negative plain skeletal survey misses sclerotic lesions: order low-dose whole-body "
            "CT with bone windows or FDG PET-CT."
        ),
        sources=("S45", "S10"),
        trigger=xray_only_bone_survey,
    ),
)

_SEVERITY_ORDER = {Severity.HIGH: 0, Severity.CAUTION: 1, Severity.INFO: 2}


def raise_warnings(context: Context) -> tuple[Warning, ...]:
    """Every warning that fires, each once, most severe first (spec order within a severity)."""
    fired = []
    for flag in RED_FLAGS:
        keys = flag.trigger(context)
        if keys:
            fired.append(
                Warning(flag.id, flag.title, flag.severity, flag.message, keys, flag.sources)
            )
    return tuple(sorted(fired, key=lambda warning: _SEVERITY_ORDER[warning.severity]))
