"""Tests that resolve an unknown item (criteria.md section 3)."""

from __future__ import annotations

_CLONE = (
    "Serum immunofixation (not SPEP alone)",
    "24-hour urine immunofixation",
    "Serum free light chains",
    "Bone marrow biopsy with CD138 and kappa/lambda immunohistochemistry or flow cytometry",
    "CT-guided biopsy of a sclerotic lesion when the marrow is negative",
)
_VEGF = (
    "Plasma (EDTA) VEGF: sample on ice, frozen promptly; or serum VEGF by ELISA",
    "Record the value, unit, sample type and the laboratory's upper limit",
)
_VOLUME = (
    "Clinical examination for oedema",
    "Chest imaging or ultrasound for pleural effusion and ascites",
    "Echocardiography (pericardial effusion, pulmonary hypertension)",
)
_ENDOCRINE = (
    "Testosterone (men), estradiol, LH, FSH, prolactin",
    "TSH and free T4",
    "Morning cortisol, with a 250 µg ACTH stimulation test if low",
    "PTH and calcium",
    "Fasting glucose or HbA1c (OGTT)",
)
_SKIN = (
    "Full skin and nail examination",
    "Biopsy of an angioma (glomeruloid haemangioma)",
)

TESTS: dict[str, tuple[str, ...]] = {
    "polyneuropathy": (
        "Neurological examination",
        "Nerve conduction studies and EMG (terminal latency index, conduction block, "
        "sural sparing)",
        "CSF protein (optional)",
    ),
    "clonal_pcd": _CLONE,
    "m_protein_by_ife": _CLONE[:2],
    "sclerotic_bone_lesion": (
        "Low-dose whole-body CT with bone windows, or FDG PET-CT (a plain skeletal survey is "
        "insensitive)",
    ),
    "vegf_elevated_dispenzieri": _VEGF,
    "vegf_elevated_japan": ("Serum VEGF by ELISA (the Japanese criterion is defined on serum)",),
    "castleman": (
        "Excisional biopsy of an enlarged lymph node (Castleman subtype; HHV-8 LANA-1 stain)",
        "HHV-8 PCR",
    ),
    "organomegaly": ("Examination and CT of chest, abdomen and pelvis (or ultrasound)",),
    "edema_2003": _VOLUME[:2],
    "extravascular_volume_overload": _VOLUME,
    "endocrinopathy_any": _ENDOCRINE,
    "endocrinopathy_updated": _ENDOCRINE[:4],
    "skin_changes_2003": _SKIN,
    "skin_changes_updated": _SKIN,
    "skin_changes_any": _SKIN,
    "papilledema": ("Fundoscopy or ophthalmology review",),
    "thrombocytosis_or_polycythemia": (
        "Full blood count",
        "JAK2 V617F if a myeloproliferative neoplasm is suspected",
    ),
}
