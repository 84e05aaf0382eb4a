"""Derived items: the criteria's building blocks, each built from findings (criteria.md 9.2).

Each item says which findings decided it (for an unknown item: the findings that would decide
it), so that the summary can show its reasons. The items are built so that filling in an unknown
finding only ever resolves an unknown item, never flips a known one (9.4).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from . import thresholds as t
from .findings import (
    EDEMA_KEYS_2003,
    ENDOCRINE_KEYS,
    ORGANOMEGALY_KEYS,
    QUALIFYING_ENDOCRINE_KEYS,
    SKIN_KEYS_2003,
    SKIN_KEYS_ANY,
    SKIN_KEYS_UPDATED,
    VOLUME_OVERLOAD_KEYS,
)
from .logic import NO, UNKNOWN, YES, Tri, any_of
from .validation import (
    Findings,
    normal_hb_limit,
    polycythemia_limit,
    vegf_pg_ml,
    vegf_uln_pg_ml,
)


class Derived(NamedTuple):
    """A derived item's status and the findings behind it (a named tuple: one is built per item
    per evaluation, and a frozen dataclass costs three times as much to build)."""

    status: Tri
    findings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    title: str
    sources: tuple[str, ...]
    derive: Callable[[Findings], Derived]
    # Every finding the item is built from, and no other (the data dictionary lists them;
    # tests/criteria/test_derived_inputs.py checks that no other finding changes the item).
    inputs: tuple[str, ...]


def _deciding(statuses: Sequence[tuple[str, Tri]], status: Tri) -> tuple[str, ...]:
    """For any-of items: the yes keys when yes, every key when no, the unknown keys otherwise."""
    if status is NO:
        return tuple(key for key, _ in statuses)
    return tuple(key for key, value in statuses if value is status)


def _any_finding(keys: tuple[str, ...]) -> Callable[[Findings], Derived]:
    def derive(f: Findings) -> Derived:
        present, unknown = [], []
        for key in keys:
            status = f.tri(key)
            if status is YES:
                present.append(key)
            elif status is UNKNOWN:
                unknown.append(key)
        if present:
            return Derived(YES, tuple(present))
        if unknown:
            return Derived(UNKNOWN, tuple(unknown))
        return Derived(NO, keys)

    return derive


def _single(key: str) -> Callable[[Findings], Derived]:
    return lambda f: Derived(f.tri(key), (key,))


_CLONE_SHOWN = {
    "serum_ife": ("positive",),
    "urine_ife": ("positive",),
    "spep_mspike": ("detected",),
    "bm_clonality": ("lambda_restricted", "kappa_restricted"),
    "bone_lesion_biopsy": (
        "clonal_plasma_cells_lambda",
        "clonal_plasma_cells_kappa",
        "clonal_plasma_cells_unspecified",
    ),
    "clone_reported_method_unspecified": ("yes",),
}


def clonal_pcd(f: Findings) -> Derived:
    """A clone by any route; absent only when every route to a clone is closed."""
    shown = tuple(key for key, values in _CLONE_SHOWN.items() if f.is_(key, *values))
    if shown:
        return Derived(YES, shown)
    open_routes = [
        key
        for key, closed in (
            ("serum_ife", "negative"),
            ("urine_ife", "negative"),
            ("bm_clonality", "no_clonal_plasma_cells"),
        )
        if not f.is_(key, closed)
    ]
    if f.is_("bone_lesion_biopsy", "no_clonal_cells", "not_done"):
        lesion_route: tuple[str, ...] = ("bone_lesion_biopsy",)
    elif f.is_("bone_lesion_type", "none") and f.is_("bone_imaging", "ct_or_pet_ct"):
        lesion_route = ("bone_lesion_type", "bone_imaging")
    else:
        open_routes.append("bone_lesion_biopsy")
        lesion_route = ()
    if open_routes:
        return Derived(UNKNOWN, tuple(open_routes))
    return Derived(NO, ("serum_ife", "urine_ife", "bm_clonality", *lesion_route))


def m_protein_by_ife(f: Findings) -> Derived:
    keys = ("serum_ife", "urine_ife")
    positive = tuple(key for key in keys if f.is_(key, "positive"))
    if positive:
        return Derived(YES, positive)
    if all(f.is_(key, "negative") for key in keys):
        return Derived(NO, keys)
    return Derived(UNKNOWN, tuple(key for key in keys if not f.is_(key, "negative")))


def castleman(f: Findings) -> Derived:
    histology = f.get("lymph_node_histology")
    if isinstance(histology, str) and histology.startswith("castleman_"):
        return Derived(YES, ("lymph_node_histology",))
    if histology in ("reactive", "lymphoma", "other"):
        return Derived(NO, ("lymph_node_histology",))
    if f.is_("lymphadenopathy", "no"):
        return Derived(NO, ("lymphadenopathy",))
    return Derived(UNKNOWN, ("lymphadenopathy", "lymph_node_histology"))


def sclerotic_bone_lesion(f: Findings) -> Derived:
    """A plain film or MRI showing no lesion leaves it unknown: only CT or PET-CT rules it out."""
    if f.is_("bone_lesion_type", "sclerotic", "mixed_sclerotic_lytic", "lytic_with_sclerotic_rim"):
        return Derived(YES, ("bone_lesion_type",))
    if f.is_("bone_lesion_type", "purely_lytic"):
        return Derived(NO, ("bone_lesion_type",))
    if f.is_("bone_lesion_type", "none") and f.is_("bone_imaging", "ct_or_pet_ct"):
        return Derived(NO, ("bone_lesion_type", "bone_imaging"))
    return Derived(UNKNOWN, ("bone_lesion_type", "bone_imaging"))


_VEGF_KEYS = ("vegf_value", "vegf_unit", "vegf_sample")
_VEGF_WITH_LIMIT = (*_VEGF_KEYS, "vegf_lab_uln")


def vegf_elevated_dispenzieri(f: Findings) -> Derived:
    """At or above the cut-off: yes; in the normal range: no; between the two: unknown.

    The cut-offs (plasma 200, serum 1920 pg/mL) are highly specific but miss about a third of
    patients, so a value above the normal range and below the cut-off leaves the criterion open
    (revision 2). A laboratory's own upper limit can rule VEGF out, never in.
    """
    value = vegf_pg_ml(f)
    if value is None:
        return Derived(UNKNOWN, ("vegf_value", "vegf_sample"))
    uln = vegf_uln_pg_ml(f)
    within_lab = uln is not None and value <= uln
    plasma_cut_off, serum_cut_off = t.VEGF_PLASMA.value, t.VEGF_SERUM.value
    plasma_normal = value <= t.VEGF_PLASMA_NORMAL.value
    sample = f.get("vegf_sample")
    if sample == "plasma":
        elevated, normal = value >= plasma_cut_off, plasma_normal or within_lab
    elif sample == "serum":
        elevated = value >= serum_cut_off
        normal = value < t.VEGF_SERUM_NORMAL.value or within_lab
    else:
        # Either sample: elevated only above both cut-offs, normal only below both.
        elevated = value >= serum_cut_off
        normal = value < plasma_cut_off and (plasma_normal or within_lab)
    if elevated:
        return Derived(YES, _VEGF_KEYS)
    if normal:
        return Derived(NO, _VEGF_WITH_LIMIT if within_lab else _VEGF_KEYS)
    return Derived(UNKNOWN, _VEGF_WITH_LIMIT)


def vegf_elevated_japan(f: Findings) -> Derived:
    """Defined on serum only: a plasma value cannot satisfy it."""
    value = vegf_pg_ml(f)
    if value is None or not f.is_("vegf_sample", "serum"):
        return Derived(UNKNOWN, ("vegf_value", "vegf_sample"))
    return Derived(Tri.of(value >= t.VEGF_SERUM_JAPAN.value), _VEGF_KEYS)


def endocrinopathy_updated(f: Findings) -> Derived:
    """Diabetes and thyroid disease alone do not count; an unspecified axis might be either."""
    statuses = [(key, f.tri(key)) for key in QUALIFYING_ENDOCRINE_KEYS]
    statuses.append(
        ("endo_other_unspecified", NO if f.is_("endo_other_unspecified", "no") else UNKNOWN)
    )
    status = any_of(value for _, value in statuses)
    return Derived(status, _deciding(statuses, status))


def _platelet_side(f: Findings) -> Tri:
    platelets = f.number("platelets_10e9_l")
    if f.is_("thrombocytosis_reported", "yes"):
        return YES
    if platelets is not None:
        return Tri.of(platelets > t.THROMBOCYTOSIS.value)
    return NO if f.is_("thrombocytosis_reported", "no") else UNKNOWN


def _hemoglobin_side(f: Findings) -> Tri:
    hemoglobin = f.number("hemoglobin_g_dl")
    if f.is_("erythrocytosis_reported", "yes"):
        return YES
    if hemoglobin is not None:
        sex = f.get("sex")
        if hemoglobin > polycythemia_limit(sex):
            return YES
        if hemoglobin <= normal_hb_limit(sex):
            return NO
    return NO if f.is_("erythrocytosis_reported", "no") else UNKNOWN


def thrombocytosis_or_polycythemia(f: Findings) -> Derived:
    """Platelets > 450 ×10⁹/L or Hb above the sex-specific limit, or either reported."""
    sides = [
        (("platelets_10e9_l", "thrombocytosis_reported"), _platelet_side(f)),
        (("hemoglobin_g_dl", "erythrocytosis_reported", "sex"), _hemoglobin_side(f)),
    ]
    status = any_of(side for _, side in sides)
    keys = sum(_deciding(sides, status), ())
    return Derived(status, keys)


ITEMS: tuple[Item, ...] = (
    Item(
        "polyneuropathy",
        "Polyneuropathy",
        ("S1", "S2", "S3", "S10"),
        _single("pn_present"),
        ("pn_present",),
    ),
    Item(
        "clonal_pcd",
        "Monoclonal plasma-cell disorder",
        ("S2", "S3"),
        clonal_pcd,
        (*_CLONE_SHOWN, "bone_lesion_type", "bone_imaging"),
    ),
    Item(
        "m_protein_by_ife",
        "M-protein on immunofixation",
        ("S10",),
        m_protein_by_ife,
        ("serum_ife", "urine_ife"),
    ),
    Item(
        "organomegaly",
        "Organomegaly (liver, spleen or lymph nodes)",
        ("S2", "S3"),
        _any_finding(ORGANOMEGALY_KEYS),
        ORGANOMEGALY_KEYS,
    ),
    Item(
        "castleman",
        "Castleman disease",
        ("S2", "S3"),
        castleman,
        ("lymphadenopathy", "lymph_node_histology"),
    ),
    Item(
        "sclerotic_bone_lesion",
        "Sclerotic bone lesion",
        ("S2", "S3"),
        sclerotic_bone_lesion,
        ("bone_lesion_type", "bone_imaging"),
    ),
    Item(
        "vegf_elevated_dispenzieri",
        "VEGF elevated (plasma ≥ 200 or serum ≥ 1920 pg/mL)",
        ("S3", "S11", "S13"),
        vegf_elevated_dispenzieri,
        _VEGF_WITH_LIMIT,
    ),
    Item(
        "vegf_elevated_japan",
        "Serum VEGF ≥ 1000 pg/mL (ELISA)",
        ("S10",),
        vegf_elevated_japan,
        _VEGF_KEYS,
    ),
    Item(
        "edema_2003",
        "Oedema, pleural effusion or ascites",
        ("S2",),
        _any_finding(EDEMA_KEYS_2003),
        EDEMA_KEYS_2003,
    ),
    Item(
        "extravascular_volume_overload",
        "Extravascular volume overload (oedema or any effusion, pericardial included)",
        ("S3", "S23"),
        _any_finding(VOLUME_OVERLOAD_KEYS),
        VOLUME_OVERLOAD_KEYS,
    ),
    Item(
        "endocrinopathy_any",
        "Endocrinopathy (any axis)",
        ("S1", "S2", "S10"),
        _any_finding(ENDOCRINE_KEYS),
        ENDOCRINE_KEYS,
    ),
    Item(
        "endocrinopathy_updated",
        "Endocrinopathy beyond diabetes or thyroid disease alone",
        ("S3", "S6"),
        endocrinopathy_updated,
        (*QUALIFYING_ENDOCRINE_KEYS, "endo_other_unspecified"),
    ),
    Item(
        "skin_changes_2003",
        "Skin changes (2003 list)",
        ("S2",),
        _any_finding(SKIN_KEYS_2003),
        SKIN_KEYS_2003,
    ),
    Item(
        "skin_changes_updated",
        "Skin changes (updated list)",
        ("S3",),
        _any_finding(SKIN_KEYS_UPDATED),
        SKIN_KEYS_UPDATED,
    ),
    Item(
        "skin_changes_any",
        "Skin changes (any)",
        ("S1",),
        _any_finding(SKIN_KEYS_ANY),
        SKIN_KEYS_ANY,
    ),
    Item("papilledema", "Papilloedema", ("S2", "S3"), _single("papilledema"), ("papilledema",)),
    Item(
        "thrombocytosis_or_polycythemia",
        "Thrombocytosis or polycythaemia",
        ("S3", "S41"),
        thrombocytosis_or_polycythemia,
        (
            "platelets_10e9_l",
            "thrombocytosis_reported",
            "hemoglobin_g_dl",
            "erythrocytosis_reported",
            "sex",
        ),
    ),
)

ITEMS_BY_ID: dict[str, Item] = {item.id: item for item in ITEMS}


def derive_items(f: Findings) -> dict[str, Derived]:
    return {item.id: item.derive(f) for item in ITEMS}
