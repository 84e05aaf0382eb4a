"""The follow-up engine's codes in the clinic's words, with their sources and cut-offs, for the
course page and the PDF. Informational only: no label here names a response category, a
treatment choice or a risk group (followup.md 10; tests/followup/test_wording.py)."""

from __future__ import annotations

import functools
from typing import NamedTuple

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from followup.engine import NOTES
from followup.engine.sources import SOURCES


class Factor(NamedTuple):
    title: str
    cut_off: str
    values: tuple[str, ...]  # the findings it reads, shown beside it
    sources: tuple[str, ...]


FACTORS = {
    "age_over_50": Factor(
        "Age over 50 years", "age > 50 years (HR 4.07)", ("age_years",), ("S50",)
    ),
    "pulmonary_hypertension": Factor(
        "Pulmonary hypertension",
        "echo sPAP ≥ 50 mmHg, or recorded as present (HR 3.99)",
        ("echo_spap_mmhg", "pulmonary_hypertension"),
        ("S50", "S59"),
    ),
    "pleural_effusion": Factor(
        "Pleural effusion", "recorded as present (HR 3.81)", ("pleural_effusion",), ("S50",)
    ),
    "egfr_below_30": Factor(
        "eGFR below 30",
        "eGFR < 30 mL/min/1.73 m² (HR 8.25)",
        ("egfr_ml_min_1_73m2",),
        ("S50", "S60"),
    ),
    "low_albumin": Factor(
        "Low albumin",
        "no cut-off in a primary source: not computed, the value is shown",
        ("albumin_g_dl",),
        ("S57", "S4"),
    ),
}
POST_TRANSPLANT = {
    "igg_lambda": Factor("IgG-λ clone", "IgG heavy and λ light chain (HR 7.5)", (), ("S56",)),
    "fdg_avid_lesions_at_baseline": Factor(
        "FDG-avid lesions at baseline", "any FDG-avid lesion (HR 6.4)", (), ("S56",)
    ),
    "age_50_or_younger_at_asct": Factor(
        "Aged 50 or younger at transplant", "age ≤ 50 years at transplant (HR 4.4)", (), ("S56",)
    ),
}
FLAG_LABELS = {
    "yes": "Present",
    "no": "Absent",
    "unknown": "Not known",
    "not_computed": "Not computed",
}
EXTENT_LABELS = {
    "localized": "Localized (1 to 3 bone lesions, marrow without clonal plasma cells)",
    "disseminated": "Disseminated",
    "undetermined": "Undetermined",
}
REASONS = {
    # Disease extent (followup.md 5)
    "clonal_plasma_cells_in_marrow": "clonal plasma cells in the marrow",
    "more_than_3_lesions": "more than 3 bone lesions",
    "marrow_not_done": "marrow biopsy not done",
    "marrow_result_not_recorded": "marrow biopsy done, result not recorded",
    "marrow_not_recorded": "marrow biopsy not recorded",
    "no_whole_body_imaging": "no whole-body CT or PET-CT",
    "whole_body_imaging_not_recorded": "whole-body imaging not recorded",
    "lesion_count_not_recorded": "lesion count not recorded",
    "no_bone_lesion_counted": "no bone lesion counted",
    # VEGF (followup.md 7.2, 7.4)
    "baseline_value_not_recorded": "no numeric baseline VEGF",
    "sample_differs": "different sample",
    "assay_differs": "different assay",
    "bevacizumab": "bevacizumab since the baseline",
    "sample_not_recorded": "sample not recorded",
    "bevacizumab_not_recorded": "bevacizumab since the baseline not recorded",
    "assay_not_recorded": "assay not recorded (not blocking)",
    "lab_limit_not_recorded": "laboratory limit not recorded",
}
WORKUP_LABELS = {
    "marrow_biopsy": ("Iliac-crest marrow biopsy", ("S55", "S4")),
    "whole_body_imaging": ("Whole-body CT or PET-CT", ("S55", "S56", "S3")),
    "echocardiogram": ("Echocardiogram", ("S59", "S50")),
    "lung_function_dlco": ("Lung function with DLCO", ("S55",)),
    "egfr": ("eGFR", ("S50", "S60")),
    "urine_protein_24h": ("24-hour urine protein", ("S55",)),
    "serum_albumin": ("Serum albumin", ("S57", "S4")),
    "vegf": ("Numeric VEGF", ()),
    "serum_ife": ("Serum immunofixation", ()),
    "urine_ife": ("Urine immunofixation", ()),
    "serum_flc": ("Serum free light chains", ()),
}
WORKUP_REASONS = {
    None: "done",
    "not_done": "not done",
    "not_recorded": "not recorded",
    "no_numeric_value": "only as × upper limit or raised/normal: no numeric value",
}
IFE_LABELS = {
    "either_positive": "positive (serum or urine)",
    "both_negative": "negative in serum and urine",
    "incomplete": "incomplete",
}
COMPARABLE_LABELS = {
    "yes": "comparable",
    "no": "not comparable",
    "unknown": "comparability not known",
}
WITHIN_LABELS = {"yes": "yes", "no": "no, above the limit", "unknown": "not known"}
DIRECTION_LABELS = {
    "improved": "lower (less limitation)",
    "worse": "higher (more limitation)",
    "unchanged": "unchanged",
    "unknown": "not known",
}


def reasons_text(codes) -> str:
    return "; ".join(REASONS[code] for code in codes)


def notes(ids) -> list[SafeString]:
    """Each note as a list item with its sources, in HTML."""
    return [note_html(note_id) for note_id in ids]


@functools.cache
def note_html(note_id: str) -> SafeString:
    note = NOTES[note_id]
    return format_html('<li data-note="{}">{} ({})</li>', note.id, note.text, sources(note.sources))


@functools.cache
def sources(tags: tuple[str, ...]) -> SafeString:
    """The source tags as links to their references, each with its citation as the title."""
    return format_html_join(
        ", ",
        '<a href="{}" title="{}" rel="noopener noreferrer">{}</a>',
        ((SOURCES[tag].url, SOURCES[tag].citation, tag) for tag in tags),
    )
