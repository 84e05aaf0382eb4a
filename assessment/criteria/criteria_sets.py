"""The four criteria sets and their results (criteria.md 9.3).

Each set is a rule over how many items of each group are present. Items of one group are
interchangeable, so instead of trying every yes/no assignment of the unknown items (2^11 for the
updated set), the engine reasons over per-group counts: the result is the rule at the lowest and
the highest counts still possible, and an unknown item is missing when one more present item of
its group changes the result for some counts still possible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import product
from typing import NamedTuple

from . import thresholds as t
from .derived import ITEMS_BY_ID, Derived
from .logic import NO, UNKNOWN, YES, Tri, all_of, any_of
from .validation import Findings

MEETS = "meets"
DOES_NOT_MEET = "does_not_meet"
INDETERMINATE = "indeterminate"
DEFINITE = "definite"
PROBABLE = "probable"
POSSIBLE = "possible"
EXCLUDED_MYELOMA = "excluded_meets_myeloma_criteria"

POSITIVE_RESULTS = frozenset({MEETS, DEFINITE, PROBABLE, POSSIBLE})


@dataclass(frozen=True, slots=True)
class Group:
    role: str
    items: tuple[str, ...]
    # How many of the group's items must be present (in every set but the Japanese one).
    needed: int = 1


@dataclass(frozen=True, slots=True)
class CriteriaSet:
    key: str
    title: str
    sources: tuple[str, ...]
    groups: tuple[Group, ...]
    # The result when every item is known, from the number of present items in each group.
    rule: Callable[..., str]
    # What the title alone would overstate, shown beside it.
    note: str = ""

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item for group in self.groups for item in group.items)


class ItemResult(NamedTuple):
    id: str
    title: str
    role: str
    status: Tri
    findings: tuple[str, ...]
    sources: tuple[str, ...]


class SetResult(NamedTuple):
    key: str
    title: str
    note: str
    sources: tuple[str, ...]
    result: str
    could_upgrade_to: str | None
    items: tuple[ItemResult, ...]
    missing: tuple[str, ...]
    # One sentence of why, in the clinic's words.
    reason: str
    # The Japanese set's multiple-myeloma exclusion, an item with role "exclusion".
    exclusion: ItemResult | None = None

    @property
    def is_positive(self) -> bool:
        return self.result in POSITIVE_RESULTS


def _every_group(*groups: Group) -> Callable[..., str]:
    """The rule of a set that is met when every group has its needed number of items."""
    needed = tuple(group.needed for group in groups)

    def rule(*counts: int) -> str:
        for count, n in zip(counts, needed, strict=True):
            if count < n:
                return DOES_NOT_MEET
        return MEETS

    return rule


def _japan_rule(polyneuropathy: int, vegf: int, m_protein: int, minor: int) -> str:
    if polyneuropathy and vegf and m_protein and minor >= 1:
        return DEFINITE
    if polyneuropathy and vegf and minor >= 1:
        return PROBABLE
    if polyneuropathy and minor >= 2:
        return POSSIBLE
    return DOES_NOT_MEET


_ACRONYM_GROUPS = (
    Group(
        "item",
        ("polyneuropathy", "organomegaly", "endocrinopathy_any", "clonal_pcd", "skin_changes_any"),
        needed=3,
    ),
)
_DISPENZIERI_2003_GROUPS = (
    Group("mandatory", ("polyneuropathy", "clonal_pcd"), needed=2),
    Group(
        "minor",
        (
            "sclerotic_bone_lesion",
            "castleman",
            "organomegaly",
            "edema_2003",
            "endocrinopathy_any",
            "skin_changes_2003",
            "papilledema",
        ),
    ),
)
_UPDATED_GROUPS = (
    Group("mandatory", ("polyneuropathy", "clonal_pcd"), needed=2),
    Group("other_major", ("castleman", "sclerotic_bone_lesion", "vegf_elevated_dispenzieri")),
    Group(
        "minor",
        (
            "organomegaly",
            "extravascular_volume_overload",
            "endocrinopathy_updated",
            "skin_changes_updated",
            "papilledema",
            "thrombocytosis_or_polycythemia",
        ),
    ),
)

BARDWICK_1980 = CriteriaSet(
    "bardwick_1980_acronym",
    "1980 acronym convention (3 or more of 5 features) — historical, for comparison",
    ("S1",),
    _ACRONYM_GROUPS,
    _every_group(*_ACRONYM_GROUPS),
)
DISPENZIERI_2003 = CriteriaSet(
    "dispenzieri_2003",
    "Dispenzieri 2003 (Blood) — older, for comparison",
    ("S2",),
    _DISPENZIERI_2003_GROUPS,
    _every_group(*_DISPENZIERI_2003_GROUPS),
)
# The key keeps "imwg2014" for stored data and exports; the title names what is implemented
# (9.3, revision 2).
DISPENZIERI_UPDATED = CriteriaSet(
    "dispenzieri_updated_2007_imwg2014",
    "Updated Dispenzieri criteria (2007; Blood 2012; Am J Hematol 2023)",
    ("S3", "S4", "S5"),
    _UPDATED_GROUPS,
    _every_group(*_UPDATED_GROUPS),
    note=(
        "IMWG 2014 adopted this structure; its own wording (endocrine exclusion, VEGF cut-off) "
        "is not verified here"
    ),
)
JAPAN_2015 = CriteriaSet(
    "japan_mhlw_2015",
    "Japanese MHLW criteria 2015 (definite / probable / possible)",
    ("S10",),
    (
        Group("major", ("polyneuropathy",)),
        Group("major", ("vegf_elevated_japan",)),
        Group("major", ("m_protein_by_ife",)),
        Group(
            "minor",
            (
                "sclerotic_bone_lesion",
                "castleman",
                "organomegaly",
                "extravascular_volume_overload",
                "endocrinopathy_any",
                "skin_changes_updated",
                "papilledema",
                "thrombocytosis_or_polycythemia",
            ),
        ),
    ),
    _japan_rule,
)

CRITERIA_SETS: tuple[CriteriaSet, ...] = (
    BARDWICK_1980,
    DISPENZIERI_2003,
    DISPENZIERI_UPDATED,
    JAPAN_2015,
)
PRIMARY_SET = DISPENZIERI_UPDATED.key
# Each set's items in order with their role, looked up once rather than on every evaluation.
_ROLES_AND_ITEMS = {
    s.key: tuple((g.role, ITEMS_BY_ID[item_id]) for g in s.groups for item_id in g.items)
    for s in CRITERIA_SETS
}


MYELOMA_ID = "multiple_myeloma"
# The findings the myeloma exclusion is built from, and no other (as a derived item's `inputs`).
MYELOMA_INPUTS = (
    "bm_plasma_cell_percent",
    "hypercalcemia",
    "hemoglobin_g_dl",
    "bone_lesion_type",
    "sflc_ratio",
)


def myeloma_criteria(f: Findings) -> ItemResult:
    """Multiple myeloma (for the Japanese exclusion only, 9.3); renal insufficiency not used."""

    lesion = f.get("bone_lesion_type")
    marrow, hemoglobin, ratio = (
        f.number("bm_plasma_cell_percent"),
        f.number("hemoglobin_g_dl"),
        f.number("sflc_ratio"),
    )
    # A missing value leaves its test unknown.
    plasma_cells = (
        UNKNOWN if marrow is None else Tri.of(marrow >= t.MYELOMA_MARROW_PLASMA_CELLS.value)
    )
    events = {
        "hypercalcemia": f.tri("hypercalcemia"),
        "hemoglobin_g_dl": (
            UNKNOWN if hemoglobin is None else Tri.of(hemoglobin < t.MYELOMA_ANEMIA.value)
        ),
        "bone_lesion_type": UNKNOWN if lesion is None else Tri.of(lesion == "purely_lytic"),
        "sflc_ratio": (
            UNKNOWN
            if ratio is None
            else Tri.of(
                ratio >= t.MYELOMA_FLC_RATIO_HIGH.value or ratio <= t.MYELOMA_FLC_RATIO_LOW.value
            )
        ),
        "bm_plasma_cell_percent": (
            UNKNOWN
            if marrow is None
            else Tri.of(marrow >= t.MYELOMA_MARROW_PLASMA_CELLS_DEFINING.value)
        ),
    }
    event = any_of(events.values())
    status = all_of((plasma_cells, event))
    if status is NO and plasma_cells is NO:
        keys: tuple[str, ...] = ("bm_plasma_cell_percent",)
    else:
        # The marrow count and the myeloma-defining events that decided (or would decide) it.
        wanted = NO if status is NO else event
        keys = ("bm_plasma_cell_percent",) + tuple(
            key
            for key, value in events.items()
            if value is wanted and key != "bm_plasma_cell_percent"
        )
    return ItemResult(
        MYELOMA_ID,
        "Meets multiple-myeloma criteria (excludes the Japanese diagnosis)",
        "exclusion",
        status,
        keys,
        ("S10", "S44"),
    )


def evaluate_set(
    criteria: CriteriaSet, derived: Mapping[str, Derived], findings: Findings
) -> SetResult:
    present, unknown = _count(criteria, derived)
    lowest = criteria.rule(*present)
    highest = criteria.rule(*(p + u for p, u in zip(present, unknown, strict=True)))
    exclusion = myeloma_criteria(findings) if criteria is JAPAN_2015 else None
    result, could_upgrade_to = _judge(criteria, lowest, highest, exclusion)
    missing: tuple[str, ...] = ()
    # A result that no unknown item can change has nothing missing.
    if lowest != highest and result != EXCLUDED_MYELOMA:
        deciding = _deciding_groups(criteria.rule, present, unknown)
        missing = tuple(
            item_id
            for index, group in enumerate(criteria.groups)
            if index in deciding
            for item_id in group.items
            if derived[item_id].status is UNKNOWN
        )
    items = tuple(
        [
            ItemResult(item.id, item.title, role, *derived[item.id], item.sources)
            for role, item in _ROLES_AND_ITEMS[criteria.key]
        ]
    )
    return SetResult(
        criteria.key,
        criteria.title,
        criteria.note,
        criteria.sources,
        result,
        could_upgrade_to,
        items,
        missing,
        _reason(criteria, result, could_upgrade_to, items, missing),
        exclusion,
    )


ROLE_NAMES = {
    "item": "feature",
    "mandatory": "mandatory criterion",
    "other_major": "other major criterion",
    "major": "major criterion",
    "minor": "minor criterion",
}
GROUP_NAMES = {
    "item": "Features",
    "mandatory": "Mandatory",
    "other_major": "Other major",
    "major": "Major",
    "minor": "Minor",
}
_JAPAN_CATEGORIES = {
    DEFINITE: "all three major criteria and a minor criterion are present",
    PROBABLE: "polyneuropathy, serum VEGF and a minor criterion are present",
    POSSIBLE: "polyneuropathy and two minor criteria are present",
}


def _titles(item_ids: Iterable[str]) -> str:
    return ", ".join(ITEMS_BY_ID[item_id].title for item_id in item_ids)


def _reason(
    criteria: CriteriaSet,
    result: str,
    could_upgrade_to: str | None,
    items: tuple[ItemResult, ...],
    missing: tuple[str, ...],
) -> str:
    status = {item.id: item.status for item in items}
    if result == EXCLUDED_MYELOMA:
        return "Excluded: the findings meet multiple-myeloma criteria."
    if result == INDETERMINATE:
        return f"Not yet decided: waiting on {_titles(missing)}."
    if result in _JAPAN_CATEGORIES:
        sentence = f"{result.capitalize()}: {_JAPAN_CATEGORIES[result]}."
        if could_upgrade_to:
            sentence += f" Could become {could_upgrade_to} with {_titles(missing)}."
        return sentence
    if result == MEETS:
        present = [
            f"{GROUP_NAMES[g.role]}: {_titles(i for i in g.items if status[i] is YES)}"
            for g in criteria.groups
        ]
        return f"Met. {'; '.join(present)}."
    failed = []
    for group in criteria.groups:
        possible = sum(status[i] is not NO for i in group.items)
        if criteria is JAPAN_2015 or possible >= group.needed:
            continue
        if group.needed == len(group.items):
            absent = _titles(i for i in group.items if status[i] is NO)
            failed.append(f"{ROLE_NAMES[group.role]} absent: {absent}")
        elif group.needed == 1:
            failed.append(f"no {ROLE_NAMES[group.role]} present")
        else:
            failed.append(
                f"only {possible} of the {len(group.items)} features can be present, "
                f"{group.needed} are needed"
            )
    if criteria is JAPAN_2015:
        failed.append("no category can be met (polyneuropathy or minor criteria absent)")
    return f"Not met: {'; '.join(failed)}."


def result_of(criteria: CriteriaSet, derived: Mapping[str, Derived], findings: Findings) -> str:
    """The result alone, without items or missing ones."""
    present, unknown = _count(criteria, derived)
    lowest = criteria.rule(*present)
    highest = criteria.rule(*(p + u for p, u in zip(present, unknown, strict=True)))
    exclusion = myeloma_criteria(findings) if criteria is JAPAN_2015 else None
    return _judge(criteria, lowest, highest, exclusion)[0]


def _count(criteria: CriteriaSet, derived: Mapping[str, Derived]) -> tuple[list[int], list[int]]:
    """Per group: how many items are present, and how many more might be."""
    present, unknown = [], []
    for group in criteria.groups:
        yes = maybe = 0
        for item_id in group.items:
            status = derived[item_id].status
            if status is YES:
                yes += 1
            elif status is UNKNOWN:
                maybe += 1
        present.append(yes)
        unknown.append(maybe)
    return present, unknown


def _judge(
    criteria: CriteriaSet, lowest: str, highest: str, exclusion: ItemResult | None
) -> tuple[str, str | None]:
    """The result and the category it could still be upgraded to, from the two extremes."""
    if exclusion is None:
        return (lowest if lowest == highest else INDETERMINATE), None
    if exclusion.status is YES:
        return EXCLUDED_MYELOMA, None
    if lowest != DOES_NOT_MEET:
        # The highest category definitely met; a higher one may still be open.
        return lowest, (highest if highest != lowest else None)
    return (DOES_NOT_MEET if highest == DOES_NOT_MEET else INDETERMINATE), None


def _deciding_groups(rule: Callable[..., str], present: list[int], unknown: list[int]) -> set[int]:
    """The groups in which one more present item changes the result for some possible counts."""
    deciding = set()
    # Other groups from their highest possible count down: the rules are monotone, so a
    # deciding group usually shows itself at the first counts tried.
    ranges = [range(p + u, p - 1, -1) for p, u in zip(present, unknown, strict=True)]
    for index, (p, u) in enumerate(zip(present, unknown, strict=True)):
        if not u:
            continue
        others = ranges[:index] + [range(p, p + u)] + ranges[index + 1 :]
        for counts in product(*others):
            more = list(counts)
            more[index] += 1
            if rule(*counts) != rule(*more):
                deciding.add(index)
                break
    return deciding
