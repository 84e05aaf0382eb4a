"""The fixed notes of followup.md section 9: the meaning is fixed, the text is the screen's."""

from __future__ import annotations

from typing import NamedTuple


class Note(NamedTuple):
    id: str
    text: str
    sources: tuple[str, ...]


NOTES: dict[str, Note] = {
    note.id: note
    for note in (
        Note(
            "N_NO_RISK_SCORE",
            "Factors are shown one by one; no score or group is given, because the published "
            "nomogram weights were not verified.",
            ("S50",),
        ),
        Note(
            "N_ALBUMIN_NO_CUTOFF",
            "“Low albumin at diagnosis” was an independent risk factor for progression-free "
            "survival; no primary source gives a cut-off, so albumin is shown without a flag.",
            ("S57", "S4"),
        ),
        Note(
            "N_EXTENT_INFORMATIONAL",
            "Disease extent restates two published descriptions; the treating team decides the "
            "treatment.",
            ("S55", "S4"),
        ),
        Note(
            "N_M_PROTEIN_NOT_COMPUTED",
            "The M-protein is “typically small, making standard multiple myeloma response "
            "criteria inapplicable in most cases” and the free light chain ratio is normal in "
            "most: the M-spike and the ratio are shown as measured, not interpreted.",
            ("S63",),
        ),
        Note(
            "N_CRH_NOT_COMPUTED",
            "Lack of complete haematological response is a published factor whose definition "
            "was not retrieved: it is not computed; the immunofixation of each visit is shown.",
            ("S56", "S57"),
        ),
        Note(
            "N_VEGF_EARLY",
            "Interim value: serum VEGF fell rapidly after treatment and stabilised by 6 months; "
            "normalisation was judged at 6 months.",
            ("S53", "S54"),
        ),
        Note(
            "N_VEGF_BEVACIZUMAB",
            "Bevacizumab interferes with VEGF measurement: this value cannot be interpreted.",
            ("S14", "S64", "S65"),
        ),
        Note(
            "N_ONLS_SLOW",
            "Neurological recovery is slow: after transplantation the median Neuropathy "
            "Impairment Score improved from 66 to 48 at 12 months and to 30 at last follow-up "
            "(median 61 months).",
            ("S62",),
        ),
    )
}
