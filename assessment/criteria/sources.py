"""The references that rules and warnings cite, by tag (criteria.md section 8)."""

from typing import NamedTuple


class Source(NamedTuple):
    citation: str
    url: str


SOURCES: dict[str, Source] = {
    "S1": Source(
        "Chan JL; Elston DM (chief ed.). POEMS Syndrome. Medscape/eMedicine, updated Oct 22, 2015. Seed document (in `seed/`); 2018 print version",
        "https://emedicine.medscape.com/article/1097031-print",
    ),
    "S1b": Source(
        "Chan JL. POEMS Syndrome Workup. Medscape, updated Oct 22, 2015.",
        "http://emedicine.medscape.com/article/1097031-workup",
    ),
    "S2": Source(
        "Dispenzieri A, Kyle RA, Lacy MQ, et al. POEMS syndrome: definitions and long-term outcome. Blood 2003;101(7):2496–2506. — criteria table as reproduced by ASH-SAP",
        "https://ashpublications.org/blood/article/101/7/2496/106657",
    ),
    "S3": Source(
        "Dispenzieri A. How I treat POEMS syndrome. Blood 2012;119(24):5650–8.; Table 1",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC3425020",
    ),
    "S4": Source(
        "Dispenzieri A. POEMS syndrome: update on diagnosis, risk-stratification, and management. Am J Hematol — 2013 (doi:10.1002/ajh.23288); 2014 (89(2):213–23); 2019 (94(7):812–27, doi:10.1002/ajh.25495); 2021 (doi:10.1002/ajh.26240); 2023 (doi:10.1002/ajh.27081, PMID 37732822) (abstracts/first pages only)",
        "http://onlinelibrary.wiley.com/doi/10.1002/ajh.23288/full",
    ),
    "S5": Source(
        "Rajkumar SV, Dimopoulos MA, Palumbo A, et al. International Myeloma Working Group updated criteria for the diagnosis of multiple myeloma. Lancet Oncol 2014;15(12):e538–48. (POEMS table not retrieved)",
        "https://doi.org/10.1016/S1470-2045(14)70442-5",
    ),
    "S6": Source(
        "MSD Manual Professional Version (UK). POEMS Syndrome. Reviewed 2023-04-04.",
        "https://www.msdmanuals.com/uk/professional/endocrine-and-metabolic-disorders/polyglandular-deficiency-syndromes/poems-syndrome",
    ),
    "S7": Source(
        "UpToDate graphic Criteria for the diagnosis of POEMS syndrome",
        "https://mail.medilib.ir/uptodate/show/64782",
    ),
    "S8": Source(
        "medicalcriteria.com. Criteria for the Diagnosis of POEMS Syndrome.",
        "https://medicalcriteria.com/web/poems-syndrome/",
    ),
    "S9": Source(
        "Suichi T, Misawa S, Sato Y, et al. Proposal of new clinical diagnostic criteria for POEMS syndrome. J Neurol Neurosurg Psychiatry 2019;90(2):133–7.; Table 2",
        "https://jnnp.bmj.com/content/90/2/133",
    ),
    "S10": Source(
        "Japan: (a) Japan Intractable Diseases Information Center, Crow–Fukase syndrome (designated intractable disease 16); (b) MHLW committee material with criteria text (2024 update draft of 2015 criteria); (c) 2015 criteria summary; (d) Misawa S. POEMS (Crow–Fukase) syndrome, Igaku-shoin clinical reference",
        "https://www.nanbyou.or.jp/entry/241",
    ),
    "S11": Source(
        "D'Souza A, Hayman SR, Buadi F, et al. The utility of plasma vascular endothelial growth factor levels in the diagnosis and follow-up of patients with POEMS syndrome. Blood 2011;118(17):4663.",
        "http://ashpublications.com/blood/article/118/17/4663/29066",
    ),
    "S12": Source(
        "Pihan M, Keddie S, D'Sa S, et al. Raised VEGF: high sensitivity and specificity in the diagnosis of POEMS syndrome. Neurol Neuroimmunol Neuroinflamm 2018;5(5):e486. PMID 30175160 (mirror)",
        "",
    ),
    "S13": Source(
        "POEMS Syndrome (chapter 83) in Springer handbook, 2023/24, ISBN 978-3-031-44080-9.",
        "https://rd.springer.com/chapter/10.1007/978-3-031-44080-9_83",
    ),
    "S14": Source(
        "Mayo Clinic Laboratories Vascular Endothelial Growth Factor, Plasma (test 63019) as listed by referral labs",
        "https://apps.sbgh.mb.ca/labmanual/test/print?seedId=37468",
    ),
    "S15": Source(
        "Mauermann ML, Sorenson EJ, Dispenzieri A, et al. Uniform demyelination and more severe axonal loss distinguish POEMS syndrome from CIDP. J Neurol Neurosurg Psychiatry 2012;83:480–6.",
        "https://pubmed.ncbi.nlm.nih.gov/22396441/",
    ),
    "S16": Source(
        "POEMS syndrome review, J Neurol 2018, doi:10.1007/s00415-018-9110-6.",
        "https://www.springermedizin.at/link?doi=10.1007/s00415-018-9110-6",
    ),
    "S17": Source(
        "D'Sa S, Khwaja J, Keddie S, et al. Comprehensive diagnosis and management of POEMS syndrome. HemaSphere 2022;6(11):e796.",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC9624442",
    ),
    "S18": Source(
        "Gandhi GY, Basu R, Dispenzieri A, et al. Endocrinopathy in POEMS syndrome: the Mayo Clinic experience. Mayo Clin Proc 2007;82:836–42.",
        "https://moam.info/endocrinopathy-in-poems-syndrome-the-mayo-clinic-experience_5a1c78171723dd30b4e4dd8f.html",
    ),
    "S19": Source(
        "Joint Task Force of the EFNS and PNS. Guideline on management of paraproteinemic demyelinating neuropathies – first revision. J Peripher Nerv Syst 2010;15:185–95.",
        "http://onlinelibrary.wiley.com/doi/10.1111/j.1529-8027.2010.00278.x/abstract",
    ),
    "S20": Source(
        "He T, Zhao A, Zhao H, et al. Clinical characteristics and the long-term outcome of patients with atypical POEMS syndrome variant with undetectable monoclonal gammopathy. Ann Hematol 2019;98:735–43.",
        "https://link.springer.com/article/10.1007%2Fs00277-018-03589-4",
    ),
    "S21": Source(
        "Fajgenbaum DC, Uldrick TS, Bagg A, et al. International, evidence-based consensus diagnostic criteria for HHV-8-negative/idiopathic multicentric Castleman disease. Blood 2017;129(12):1646–57.",
        "https://pubmed.ncbi.nlm.nih.gov/28087540",
    ),
    "S22": Source(
        "Overview of Castleman disease. Blood 2020;135(16):1353.",
        "http://ashpublications.net/blood/article/135/16/1353/452573/Overview-of-Castleman-disease",
    ),
    "S23": Source(
        "Mayo Clinic Laboratories. October 2020 — Hematopathology (POEMS vignette).",
        "https://news.mayocliniclabs.com/2020/10/13/october-2020-hematopathology/",
    ),
    "S24": Source(
        "UChicago Neuromuscular Case Vignettes, Case 4 (POEMS); Case 3 (anti-MAG DADS)",
        "https://neuromuscularcasevignettes.uchicago.edu/case-4-diagnosis-and-discussion",
    ),
    "S25": Source(
        "Ide HA. Diagnosing POEMS syndrome (patient site), revised 2015.",
        "http://poemssyndrome.info/diagnosis.php",
    ),
    "S26": Source(
        "Characteristics of 1946 cases of POEMS syndrome in Chinese subjects: a literature-based study. Front Immunol 2019.",
        "https://www.frontiersin.org/articles/10.3389/fimmu.2019.01428/full",
    ),
    "S27": Source(
        "Orphanet summary; Eurorad case 1972",
        "https://findzebra.com/details/KVjVL95-poems-syndrome",
    ),
    "S28": Source(
        "AL amyloidosis neuropathy: Patterns of neuropathy and autonomic failure in patients with amyloidosis. Mayo Clin Proc 2008;83(11):1226–30; Chompoopong P, Muchtar E, Mauermann M. Peripheral neuropathy in AL amyloidosis. AAN 2024 abstract",
        "http://linkinghub.elsevier.com/retrieve/pii/S0025-6196(11)60640-X",
    ),
    "S29": Source(
        "Anti-MAG: MedLink Polyneuropathy associated with anti-MAG IgM antibodies; MedMerits diagnostic work-up",
        "https://medlink.com/articles/polyneuropathy-associated-with-anti-mag-igm-antibodies",
    ),
    "S30": Source(
        "CMDT, Cryoglobulinemia (AccessMedicine).",
        "https://accessmedicine.mhmedical.com/content.aspx?bookid=2986&sectionid=251090411",
    ),
    "S31": Source(
        "Cutaneous manifestations in patients with POEMS syndrome (Mayo, 107 patients). Int J Dermatol (doi:10.1111/j.1365-4632.2012.05648.x).",
        "http://onlinelibrary.wiley.com/doi/10.1111/j.1365-4632.2012.05648.x/full",
    ),
    "S33": Source(
        "Older Wikipedia copy, POEMS syndrome",
        "https://gateway.ipfs.io/ipfs/QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco/wiki/Polyneuropathy%E2%80%93organomegaly%E2%80%93endocrinopathy%E2%80%93monoclonal_gammopathy%E2%80%93skin_changes_syndrome.html",
    ),
    "S34": Source(
        "Shim et al. POEMS syndrome: bone marrow, laboratory, and clinical findings in 24 Korean patients. Ann Lab Med 2019;39(6).",
        "https://synapse.koreamed.org/articles/1129438",
    ),
    "S36": Source(
        "Dispenzieri A, Dingli D, Gertz MA. POEMS syndrome, cryoglobulinemia, and heavy-chain disease (Wintrobe's chapter copy).",
        "https://oncohemakey.com/poems-syndrome-cryoglobulinemia-and-heavy-chain-disease/",
    ),
    "S37": Source(
        "VisualDx POEMS syndrome.",
        "https://v7.visualdx.com/visualdx/diagnosis/?contentModuleId=101&diagnosisId=52184&moduleId=100",
    ),
    "S39": Source(
        "Crane G. POEMS syndrome (osteosclerotic myeloma). PathologyOutlines.com, 2017/2023.",
        "https://www.pathologyoutlines.com/topic/lymphomaPOEMS.html",
    ),
    "S40": Source(
        "POEMS syndrome: are current diagnostic criteria too exclusive? (J Am Acad Dermatol commentary; abstract copy)",
        "https://discovery.researcher.life/article/poems-syndrome-are-current-diagnostic-criteria-too-exclusive/52381b83018e3b47915fe1c6493688c4",
    ),
    "S41": Source(
        "Scharf RE. Do we need antiplatelet therapy in thrombocytosis? Hamostaseologie 2016;36(04):241–60 (thrombocytosis > 450 × 10⁹/L).",
        "https://www.thieme-connect.com/products/ejournals/abstract/10.5482/HAMO-16-06-0016",
    ),
    "S42": Source(
        "Sotelo-Jiménez PP, Ramírez-Calderón FE, Quiñones-Avila MP. Castleman disease variant of POEMS syndrome. Rev Fac Med Hum 2019;19(4). doi:10.25176/RFMH.v19i4.2145",
        "http://revistas.urp.edu.pe/index.php/RFMH/article/download/2145/2379?inline=1",
    ),
    "S43": Source(
        'Biclonal IgG-κ/IgG-λ POEMS case report (">95% ... lambda"), ProQuest public copy',
        "https://www.proquest.com/publiccontent/docview/2595341478",
    ),
    "S44": Source(
        "IMWG 2014 myeloma-defining events summary",
        "http://bloodref.com/plasma-cell/myeloma-diagnosis",
    ),
    "S45": Source(
        "Radiology summary of POEMS bone lesions (purely sclerotic < half, mixed ~half, purely lytic ~2%): (secondary; cites Resnick)",
        "http://roentgenrayreader.blogspot.com/2011/11/poems-syndrome.html",
    ),
    "S46": Source(
        "Abeykoon JP, Gonsalves WI, Oliveira J, Kapoor P. POEMS syndrome: an elusive diagnosis. Am J Hematol 2017, doi:10.1002/ajh.24845 (copy",
        "https://ja.scribd.com/document/383253348/Poems)",
    ),
    "S47": Source(
        "Actas Dermo-Sifiliográficas image case, Glomeruloid hemangiomas...",
        "https://actasdermo.org/es-translated-article-glomeruloid-hemangiomas-recent-articulo-S0001731023005379",
    ),
    "S48": Source(
        "Namekawa M, et al. A case of Crow–Fukase syndrome with respiratory failure due to bilateral diaphragmatic paralysis. Rinsho Shinkeigaku 2002;42(7):635.",
        "http://neurology-jp.org/Journal/cgi-bin/journal.cgi?lg=en&pg=smry&vl=42&no=7&tp=635",
    ),
    "S49": Source(
        "Altmeyer P. Paraproteinemic skin diseases (lists TEMPI syndrome).",
        "https://www.altmeyers.org/en/dermatology/paraproteinemic-skin-diseases-129453",
    ),
    "S50": Source(
        "Prognostic study for overall survival in patients with newly diagnosed POEMS syndrome. Leukemia, doi:10.1038/leu.2016.168 (362 patients; age > 50, pulmonary hypertension, pleural effusion, eGFR < 30 ml/min/1.73 m²).",
        "https://www.nature.com/articles/leu2016168",
    ),
    "S52": Source(
        'Diagnosis and treatment of POEMS syndrome, in Treatment of Multiple Myeloma and Related Disorders, Cambridge University Press (online 2009): POEMS patients "usually have only 5% bone marrow plasma cells or less (almost always monoclonal λ), and rarely have anemia, hypercalcemia, or renal insufficiency".',
        "https://www.cambridge.org/core/books/treatment-of-multiple-myeloma-and-related-disorders/diagnosis-and-treatment-of-poems-syndrome/0D912C5F4B8D712C9DF5C1F9F0F0F69D",
    ),
    "S51": Source(
        "JAMA Neurology/Ophthalmology JN Learning case on optic disc edema in POEMS.",
        "https://edhub.ama-assn.org/jn-learning/module/2791595",
    ),
    "S53": Source(
        "Misawa S, et al. Vascular endothelial growth factor as a predictive marker for POEMS syndrome treatment response (retrospective cohort). BMJ Open 2015;5:e009157 (serum VEGF normalised < 1040 pg/mL at 6 months).",
        "https://keio.pure.elsevier.com/ja/publications/vascular-endothelial-growth-factor-as-a-predictive-marker-for-poe",
    ),
    "S54": Source(
        "Gentile L, et al. Neurol Sci 2024;45:727 (serum VEGF response defined against < 1000 pg/mL; 3-year relapse-free survival by VEGF response). PMID 37702830",
        "https://pubmed.ncbi.nlm.nih.gov/37702830/",
    ),
}
