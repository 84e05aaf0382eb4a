"""Every number a rule uses, with its unit and where it comes from (criteria.md 1.8, 7.8, 9)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Threshold:
    value: float
    unit: str
    sources: tuple[str, ...]
    note: str = ""


# VEGF: the cut-off depends on the sample, because serum holds platelet-released VEGF (1.8).
VEGF_PLASMA = Threshold(
    200, "pg/mL", ("S11", "S3"), "plasma ≥ 200 pg/mL: 95% specific, 68% sensitive"
)
VEGF_SERUM = Threshold(1920, "pg/mL", ("S13",), "serum ≥ 1920 pg/mL: 98% specific, 73% sensitive")
VEGF_SERUM_JAPAN = Threshold(
    1000, "pg/mL", ("S10",), "Japanese criterion: serum ≥ 1000 pg/mL (ELISA)"
)
VEGF_NG_ML_TO_PG_ML = 1000
# The top of the normal range, at or below which VEGF is not elevated (9.2, revision 2): between
# it and the cut-off a value is borderline, and the updated criterion stays open.
VEGF_PLASMA_NORMAL = Threshold(
    96.2, "pg/mL", ("S14",), "plasma ≤ 96.2 pg/mL: reference limit of the Mayo plasma assay"
)
VEGF_SERUM_NORMAL = Threshold(
    1000,
    "pg/mL",
    ("S10", "S53", "S54"),
    "serum < 1000 pg/mL: the Japanese threshold, and normalisation in follow-up series",
)
# Plausibility (9.6, revision 2): outside these no assay reports VEGF; the commonest cause is a
# unit typed wrongly (ng/mL as pg/mL).
VEGF_LEAST_PG_ML = 5
VEGF_MOST_PG_ML = 100_000

# No criteria set states a number for thrombocytosis or polycythaemia; these are the product's
# documented defaults (7.8).
THROMBOCYTOSIS = Threshold(450, "×10⁹/L", ("S41",), "platelets > 450 ×10⁹/L")
POLYCYTHEMIA_MALE = Threshold(
    16.5, "g/dL", (), "Hb > 16.5 g/dL in men (WHO 2016 PV; product choice)"
)
POLYCYTHEMIA_FEMALE = Threshold(
    16.0, "g/dL", (), "Hb > 16.0 g/dL in women (WHO 2016 PV; product choice)"
)
ANEMIA_MALE = Threshold(13, "g/dL", (), "Hb < 13 g/dL in men (WHO anaemia; product choice)")
ANEMIA_FEMALE = Threshold(12, "g/dL", (), "Hb < 12 g/dL in women (WHO anaemia; product choice)")
THROMBOCYTOPENIA = Threshold(150, "×10⁹/L", ("S7", "S8"), "platelets < 150 ×10⁹/L")

# Myeloma red flags (2, 9.3, 9.5).
MYELOMA_ANEMIA = Threshold(10, "g/dL", ("S44",), "Hb < 10 g/dL")
MYELOMA_MARROW_PLASMA_CELLS = Threshold(10, "%", ("S44", "S52"), "marrow plasma cells ≥ 10%")
MYELOMA_MARROW_PLASMA_CELLS_DEFINING = Threshold(60, "%", ("S44",), "marrow plasma cells ≥ 60%")
MYELOMA_MSPIKE = Threshold(3, "g/dL", ("S13",), "M-spike ≥ 3 g/dL")
# Plausibility (9.6, revision 2): a larger M-spike is a value in g/L typed as g/dL.
MSPIKE_MOST_G_DL = 15
FREE_LIGHT_CHAIN_MOST_MG_L = 100_000
MYELOMA_FLC_RATIO_HIGH = Threshold(100, "κ/λ", ("S44",), "serum FLC ratio ≥ 100")
MYELOMA_FLC_RATIO_LOW = Threshold(0.01, "κ/λ", ("S44",), "serum FLC ratio ≤ 0.01")

# AL amyloidosis: a markedly abnormal free light chain ratio (9.5).
AMYLOID_FLC_RATIO_LOW = Threshold(0.1, "κ/λ", ("S28",), "serum FLC ratio < 0.1")
AMYLOID_FLC_RATIO_HIGH = Threshold(10, "κ/λ", ("S28",), "serum FLC ratio > 10")

PEDIATRIC_AGE = Threshold(18, "years", ("S1", "S26"), "age < 18 years")
INSUFFICIENT_DATA_UNKNOWN_ITEMS = 9  # of the updated set's 11 items (9.5)

# A value that makes no number-based item elevated, used to ask "would the verdict stand without
# the non-specific features?" (W_NONSPECIFIC_FEATURE, 9.5).
NORMAL_PLATELETS = 250.0
NORMAL_HEMOGLOBIN = 14.0
