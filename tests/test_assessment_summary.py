"""The summary: the primary verdict, each criteria set, the warnings and their sources."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Assessment
from assessment.pdf import pdf_context
from tests.assessment_helpers import make_assessment
from tests.criteria.vignettes import VIGNETTES

pytestmark = pytest.mark.django_db

BY_ID = {vignette["id"]: vignette for vignette in VIGNETTES}
PRIMARY = "dispenzieri_updated_2007_imwg2014"
WORDING = {"meets": "Meets", "does_not_meet": "Does not meet", "indeterminate": "Indeterminate"}
SHOWN_IDS = ("V01", "V02", "V13", "V17")
SHOWN = [pytest.param(BY_ID[key], id=key) for key in SHOWN_IDS]


def summary_url(assessment):
    return reverse("assessment:summary", args=[assessment.pk])


def from_vignette(owner, vignette):
    return make_assessment(owner, patient_reference=f"MRN-{vignette['id']}", **vignette["findings"])


def primary_heading(response):
    match = re.search(r'<h2 id="verdict"[^>]*>(.*?)</h2>', response.content.decode(), re.S)
    assert match, "no verdict heading"
    return match.group(1)


@pytest.fixture
def signed_in(client, physician):
    client.force_login(physician)
    return client


def test_the_vignettes_shown_cover_every_primary_verdict():
    verdicts = {BY_ID[key]["expected_outcomes"][PRIMARY]["result"] for key in SHOWN_IDS}
    assert verdicts == set(WORDING)


@pytest.mark.parametrize("vignette", SHOWN)
def test_it_shows_the_primary_verdict(signed_in, physician, vignette):
    assessment = from_vignette(physician, vignette)
    expected = vignette["expected_outcomes"][PRIMARY]["result"]

    response = signed_in.get(summary_url(assessment))

    assert response.status_code == 200
    assert assessment.primary_verdict == expected
    heading = primary_heading(response)
    assert heading.startswith(WORDING[expected])
    assert "the updated Dispenzieri criteria" in heading


@pytest.mark.parametrize("vignette", SHOWN)
def test_it_shows_every_expected_warning(signed_in, physician, vignette):
    assessment = from_vignette(physician, vignette)

    response = signed_in.get(summary_url(assessment))

    shown = set(re.findall(r'data-warning="([^"]+)"', response.content.decode()))
    assert shown == {warning["id"] for warning in vignette["expected_warnings"]}


@pytest.mark.parametrize("vignette", SHOWN)
def test_it_shows_the_criteria_version_references_and_not_a_diagnosis(
    signed_in, physician, vignette
):
    assessment = from_vignette(physician, vignette)

    response = signed_in.get(summary_url(assessment))

    content = response.content.decode()
    assert assessment.criteria_version
    assert f"Criteria version {assessment.criteria_version}." in content
    assert '<summary class="h5" id="references">References</summary>' in content
    references = response.context["references"]
    assert references
    for tag, _source in references:
        assert f'<li id="{tag}"><strong>[{tag}]</strong>' in content
    assert "<strong>Clinical decision support, not a diagnosis.</strong>" in content
    assert "The physician decides." in content


def test_it_shows_each_criteria_sets_result(signed_in, physician):
    assessment = from_vignette(physician, BY_ID["V17"])

    response = signed_in.get(summary_url(assessment))

    content = response.content.decode()
    japanese = '<span class="result-excluded_meets_myeloma_criteria">'
    assert f"{japanese}excluded (meets myeloma criteria)</span>" in content
    results = {k: r.result for k, r in response.context["evaluation"].criteria_sets.items()}
    assert results == {k: v["result"] for k, v in BY_ID["V17"]["expected_outcomes"].items()}


def test_it_says_when_there_is_no_warning(signed_in, physician):
    assessment = from_vignette(physician, BY_ID["V01"])

    response = signed_in.get(summary_url(assessment))

    assert b"No warning." in response.content


def test_it_names_contradictory_stored_findings_instead_of_a_verdict(signed_in, physician):
    assessment = make_assessment(physician)
    # Written past the form, which would have refused it.
    Assessment.objects.filter(pk=assessment.pk).update(
        lymphadenopathy="no", lymph_node_histology="reactive"
    )

    response = signed_in.get(summary_url(assessment))

    assert response.status_code == 409
    assert b"These findings contradict each other" in response.content
    assert b'id="verdict"' not in response.content


def test_it_hides_the_summary_from_another_physician(physician, other_physician):
    assessment = from_vignette(physician, BY_ID["V01"])
    intruder = Client()
    intruder.force_login(other_physician)

    response = intruder.get(summary_url(assessment))

    assert response.status_code == 404
    assert b"MRN-V01" not in response.content


def test_it_sends_an_anonymous_visitor_to_sign_in(client, physician):
    url = summary_url(make_assessment(physician))

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_it_refuses_a_post(signed_in, physician):
    assessment = make_assessment(physician)

    assert signed_in.post(summary_url(assessment)).status_code == 405


def test_the_summary_costs_the_same_queries_however_many_assessments(signed_in, physician):
    assessment = from_vignette(physician, BY_ID["V01"])
    url = summary_url(assessment)
    signed_in.get(url)

    with CaptureQueriesContext(connection) as with_one:
        assert signed_in.get(url).status_code == 200
    for number in range(49):
        findings = VIGNETTES[number % len(VIGNETTES)]["findings"]
        make_assessment(physician, patient_reference=f"MRN-{number:04}", **findings)
    with CaptureQueriesContext(connection) as with_fifty:
        assert signed_in.get(url).status_code == 200

    assert Assessment.objects.filter(owner=physician).count() == 50
    assert len(with_fifty) == len(with_one)


# At a glance (the page's order and what each warning says it is because of)


def test_what_is_read_at_a_glance_comes_first(signed_in, physician):
    assessment = from_vignette(physician, BY_ID["V17"])

    page = signed_in.get(summary_url(assessment)).content.decode()

    order = [
        'id="verdict"',
        'data-set="japan_mhlw_2015"',
        'data-set="bardwick_1980_acronym"',
        'id="warning-count"',
        'id="high-warnings"',
        'id="workup"',
        'id="matrix"',
        'id="warnings"',
        "Each criteria set, item by item",
        'id="references"',
    ]
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert page.index("Download PDF") < page.index('id="verdict"')
    assert '<a href="#warnings">5 warnings</a>: 1 high, 4 caution.' in page


def test_the_matrix_ends_with_each_sets_result(signed_in, physician):
    assessment = from_vignette(physician, BY_ID["V09"])

    page = signed_in.get(summary_url(assessment)).content.decode()

    row = re.search(r'<tr class="result-row">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", row) == ["meets", "possible", "meets", "meets"]


def test_a_because_line_names_what_decided_and_counts_what_is_not_assessed(signed_in, physician):
    assessment = from_vignette(physician, BY_ID["V21"])  # a first entry: much not assessed

    page = signed_in.get(summary_url(assessment)).content.decode()

    warning = re.search(r'data-warning="W_INSUFFICIENT_DATA">(.*?)</div>', page, re.S).group(1)
    because = re.search(r'<p class="small mb-0 because">(.*?)</p>', warning, re.S).group(1)
    assert "not yet assessed (" in because
    assert because.count("Not assessed") == 0  # counted, not listed
    count = int(re.search(r"(\d+) findings not yet assessed", because).group(1))
    assert count > 10
    organomegaly = reverse("assessment:step", args=[assessment.pk, "organomegaly"])
    assert f'<a href="{organomegaly}">Organomegaly &amp; Castleman disease</a>' in because


def test_a_because_line_lists_the_findings_that_fired_the_warning(signed_in, physician):
    assessment = from_vignette(physician, BY_ID["V17"])

    page = signed_in.get(summary_url(assessment)).content.decode()

    warning = re.search(r'data-warning="W_MYELOMA">(.*?)</div>', page, re.S).group(1)
    assert "Because of marrow plasma cells (%): 38; M-spike (g/dL): 4.6" in warning
    assert "not yet assessed" not in warning


def test_what_is_read_rarely_is_folded_away_on_screen_and_unfolded_in_the_pdf(signed_in, physician):
    assessment = from_vignette(physician, BY_ID["V01"])

    page = signed_in.get(summary_url(assessment)).content.decode()

    assert page.count('<details class="mb-3 fold">') == 2
    pdf = render_to_string("assessment/pdf.html", pdf_context(assessment))
    assert pdf.count('<details class="mb-3 fold" open>') == 2
