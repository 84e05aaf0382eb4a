"""A case that fires 14 warnings, long enough to need several PDF pages (tests and bench/pdf.py).

V01's findings (classic POEMS) with every red flag we could combine: a kappa IgM clone with a
Waldenström infiltrate and anti-MAG, features favouring CIDP, cranial and autonomic involvement,
myeloma-range marrow plasma cells with purely lytic lesions, cytopenias, an axonal neuropathy,
phrenic palsy and erectile dysfunction without hypogonadism.
"""

from tests.criteria.vignettes import VIGNETTES

V01 = next(vignette for vignette in VIGNETTES if vignette["id"] == "V01")

MANY_WARNINGS = {
    **V01["findings"],
    "light_chain": "kappa",
    "heavy_chain": "IgM",
    "bm_clonality": "kappa_restricted",
    "wm_lymphoplasmacytic_infiltrate": "yes",
    "anti_mag": "positive",
    "ncs_pattern": "axonal",
    "ncs_conduction_block_or_temporal_dispersion": "yes",
    "pn_autonomic_involvement": "yes",
    "pn_cranial_nerve_involvement": "yes",
    "bm_plasma_cell_percent": 15,
    "bone_lesion_type": "purely_lytic",
    "hemoglobin_g_dl": 9,
    "platelets_10e9_l": 100,
    "thrombocytosis_reported": "no",
    "phrenic_nerve_palsy": "yes",
    "endo_hypogonadism": "no",
}
