"""The references followup.md adds (its section 13), by tag; S1–S54 are criteria.md's."""

from assessment.criteria.sources import SOURCES as CRITERIA_SOURCES
from assessment.criteria.sources import Source

SOURCES: dict[str, Source] = {
    **CRITERIA_SOURCES,
    "S55": Source(
        "Humeniuk MS, et al. Outcomes of patients with POEMS syndrome treated initially with "
        "radiation. Blood 2013;122(1):68–73 (abstract).",
        "https://ashpublications.org/blood/article/122/1/68/31562/Outcomes-of-patients-with-POEMS-syndrome-treated",
    ),
    "S56": Source(
        "D'Souza A, et al. Long-term outcomes after autologous stem cell transplantation for "
        "patients with POEMS syndrome. Blood 2012;120(1):56 (abstract).",
        "http://ashpublications.net/blood/article/120/1/56/30146/Long-term-outcomes-after-autologous-stem-cell",
    ),
    "S57": Source(
        "Kourelis TV, et al. Risk factors for and outcomes of patients with POEMS syndrome who "
        "experience progression after first-line treatment. Leukemia 2016;30:1079–85 (abstract).",
        "http://www.nature.com/articles/leu2015344",
    ),
    "S58": Source(
        "WikiDoc, POEMS syndrome natural history, complications and prognosis (secondary; cited "
        "only to explain why albumin has no flag).",
        "https://wikidoc.org./index.php/POEMS_syndrome_natural_history,_complications_and_prognosis",
    ),
    "S59": Source(
        "Pulmonary hypertension in POEMS syndrome (154 patients). Haematologica "
        "2013;98(3):393–8, doi:10.3324/haematol.2012.073031 (abstract).",
        "https://haematologica.org/article/view/6589",
    ),
    "S60": Source(
        "Ye et al. Renal impairment in 299 patients with POEMS syndrome, 2015, PMID 26130736 "
        "(abstract).",
        "https://pubmed.ncbi.nlm.nih.gov/26130736",
    ),
    "S61": Source(
        "Graham RC, Hughes RAC. A modified peripheral neuropathy scale: the Overall Neuropathy "
        "Limitations Scale. J Neurol Neurosurg Psychiatry 2006;77:973.",
        "https://proquest.com/scholarly-journals/modified-peripheral-neuropathy-scale-overall/docview/1781240543/se-2",
    ),
    "S62": Source(
        "Karam C, et al. Polyneuropathy improvement following autologous stem cell "
        "transplantation for POEMS syndrome. Neurology 2015;84(19):1981–7.",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC4433461",
    ),
    "S63": Source(
        "Dispenzieri A. Ushering in a new era for POEMS. Blood 2011;117(24):6405 (editorial).",
        "http://ashpublications.net/blood/article/117/24/6405/22172/Ushering-in-a-new-era-for-POEMS",
    ),
    "S64": Source(
        "Anti-VEGF drug interference with VEGF quantitation in the R&D Systems human Quantikine "
        "VEGF ELISA kit. Bioanalysis 2019;11(5):381–92, PMID 30892063.",
        "https://www.pubmed.gov/30892063/",
    ),
    "S65": Source(
        "Okawa M, et al. Plasma and serum concentrations of VEGF-A121, but not of VEGF-A165, "
        "increase post-bevacizumab administration. PLoS ONE 2024;19(12):e0316035.",
        "https://doaj.org/article/2d355bcb7fe8405f8975ff73997012bb",
    ),
}
