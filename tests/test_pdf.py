"""The PDF: the summary's content on paper, rendered by WeasyPrint and read back with pypdf."""

import datetime
import io
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from assessment import services
from assessment.models import AccessEvent, Assessment
from assessment.pdf import BASE_URL, RefusedURL, StaticFilesFetcher, pdf_filename, render_pdf
from tests.assessment_helpers import make_assessment
from tests.criteria.vignettes import VIGNETTES
from tests.many_warnings import MANY_WARNINGS

BY_ID = {vignette["id"]: vignette for vignette in VIGNETTES}
PAGE_FOOTER = re.compile(r"Page (\d+) of (\d+)")


def pages_text(document: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(document)).pages]


def text_of(document: bytes) -> str:
    return "\n".join(pages_text(document))


def squeezed(text: str) -> str:
    """Without whitespace, so that a sentence matches however the PDF wrapped its lines."""
    return "".join(text.split())


def from_vignette(owner, vignette_id):
    vignette = BY_ID[vignette_id]
    return make_assessment(owner, patient_reference=f"MRN-{vignette_id}", **vignette["findings"])


def pdf_url(assessment):
    return reverse("assessment:pdf", args=[assessment.pk])


@pytest.mark.django_db
def test_the_pdf_of_a_vignette_shows_the_case_its_verdict_and_what_it_was_computed_from(
    physician,
):
    assessment = from_vignette(physician, "V01")

    text = text_of(render_pdf(assessment))

    assert "MRN-V01" in text
    assert "2025-03-14" in text
    assert "Physician ada" in text
    assert "Meets the updated Dispenzieri criteria" in text
    assert "Criteria matrix" in text
    assert "Japanese MHLW criteria 2015" in text
    assert "No warning." in text
    assert "What would decide it" in text
    assert "References" in text
    assert f"Criteria version {assessment.criteria_version}" in text
    assert "Page 1 of" in text
    assert f"Findings SHA-256 {services.findings_sha256(assessment)}" in text
    assert "Clinical decision support, not a diagnosis" in text


@pytest.mark.django_db
@pytest.mark.parametrize("vignette_id", ["V09", "V17"])
def test_the_pdf_of_a_vignette_shows_each_of_its_expected_warnings(physician, vignette_id):
    assessment = from_vignette(physician, vignette_id)

    text = text_of(render_pdf(assessment))

    for warning in BY_ID[vignette_id]["expected_warnings"]:
        assert f"({warning['id']})" in text


@pytest.mark.django_db
def test_a_case_with_many_warnings_runs_over_several_numbered_pages_and_shows_every_warning(
    physician,
):
    assessment = make_assessment(physician, patient_reference="MRN-MANY", **MANY_WARNINGS)
    warnings = services.evaluate_assessment(assessment).warnings
    assert len(warnings) == 14

    pages = pages_text(render_pdf(assessment))

    assert len(pages) > 1
    footers = [PAGE_FOOTER.findall(page) for page in pages]
    assert footers == [[(str(n), str(len(pages)))] for n in range(1, len(pages) + 1)]
    for page in pages:
        assert "MRN-MANY" in page
        assert services.findings_sha256(assessment) in page
    whole = squeezed("\n".join(pages))
    for warning in warnings:
        assert squeezed(warning.message) in whole, warning.id


def test_an_unsaved_assessment_renders_without_the_database():
    # No django_db mark: any query would fail the test.
    owner = get_user_model()(username="bench", first_name="Ada", last_name="Lovelace")
    assessment = Assessment(
        owner=owner, patient_reference="MRN-UNSAVED", assessment_date=datetime.date(2025, 3, 14)
    )
    for name, value in BY_ID["V01"]["findings"].items():
        if value is not None and value != "unknown":
            setattr(assessment, name, value)

    text = text_of(render_pdf(assessment))

    assert "MRN-UNSAVED" in text
    assert "Physician Ada Lovelace" in text
    assert "Meets the updated Dispenzieri criteria" in text


def test_the_filename_holds_the_patient_reference_and_date_in_filename_safe_characters():
    assessment = Assessment(
        patient_reference=' MRN 12/34 "ü"; x ', assessment_date=datetime.date(2025, 3, 14)
    )

    assert pdf_filename(assessment) == "poems-assessment-MRN-12-34-x-2025-03-14.pdf"


@pytest.mark.django_db
def test_the_download_is_a_pdf_attachment_and_is_recorded_as_an_access(client, physician):
    assessment = from_vignette(physician, "V01")
    client.force_login(physician)

    response = client.get(pdf_url(assessment))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="poems-assessment-MRN-V01-2025-03-14.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    assert "MRN-V01" in text_of(response.content)
    events = AccessEvent.objects.filter(assessment=assessment)
    assert [(event.user, event.kind) for event in events] == [(physician, "pdf")]


@pytest.mark.django_db
def test_a_second_download_of_an_unchanged_case_is_the_same_pdf_and_both_are_recorded(
    client, physician
):
    cache.clear()
    assessment = from_vignette(physician, "V01")
    client.force_login(physician)

    first = client.get(pdf_url(assessment)).content
    time.sleep(1.1)  # a PDF rendered again would show a later "generated" second
    second = client.get(pdf_url(assessment)).content

    assert second == first
    assert AccessEvent.objects.filter(assessment=assessment, kind="pdf").count() == 2


@pytest.mark.django_db
def test_a_changed_finding_makes_a_new_pdf(client, physician):
    cache.clear()
    assessment = from_vignette(physician, "V01")
    client.force_login(physician)
    before = client.get(pdf_url(assessment)).content

    Assessment.objects.filter(pk=assessment.pk).update(papilledema="no")
    after = client.get(pdf_url(assessment)).content

    assert "Papilloedema(minorcriterion):yes" in squeezed(text_of(before))
    assert "Papilloedema(minorcriterion):no" in squeezed(text_of(after))


@pytest.mark.django_db
def test_the_summary_offers_the_pdf_download(client, physician):
    assessment = from_vignette(physician, "V01")
    client.force_login(physician)

    response = client.get(reverse("assessment:summary", args=[assessment.pk]))

    assert f'href="{pdf_url(assessment)}">Download PDF</a>'.encode() in response.content


@pytest.mark.django_db
def test_another_physician_gets_a_404_and_no_access_is_recorded(physician, other_physician):
    assessment = from_vignette(physician, "V01")
    intruder = Client()
    intruder.force_login(other_physician)

    response = intruder.get(pdf_url(assessment))

    assert response.status_code == 404
    assert b"MRN-V01" not in response.content
    assert not AccessEvent.objects.exists()


@pytest.mark.django_db
def test_contradictory_stored_findings_give_a_409_message_instead_of_a_pdf(client, physician):
    assessment = make_assessment(physician)
    # Written past the form, which would have refused it.
    Assessment.objects.filter(pk=assessment.pk).update(
        lymphadenopathy="no", lymph_node_histology="reactive"
    )
    client.force_login(physician)

    response = client.get(pdf_url(assessment))

    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert b"contradict each other" in response.content
    assert not AccessEvent.objects.exists()


def test_the_url_fetcher_serves_a_static_stylesheet_from_disk():
    fetcher = StaticFilesFetcher()

    response = fetcher(f"{BASE_URL}static/css/print.css")

    assert response.content_type == "text/css"
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/x.css",
        "https://example.org/static/css/print.css",
        "file:///etc/passwd",
        "/etc/passwd",
        "data:text/css,body{}",
        f"{BASE_URL}etc/passwd",
        f"{BASE_URL}static/../../../etc/passwd",
        f"{BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{BASE_URL}static//etc/passwd",
        f"{BASE_URL}static/css/missing.css",
    ],
)
def test_the_url_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(RefusedURL, match="Refused to fetch"):
        StaticFilesFetcher()(url)


def test_a_url_the_fetcher_refuses_stops_the_rendering_instead_of_being_skipped():
    html = HTML(
        string='<link rel="stylesheet" href="http://example.org/x.css"><p>x</p>',
        base_url=BASE_URL,
        url_fetcher=StaticFilesFetcher(),
    )

    with pytest.raises(FatalURLFetchingError) as raised:
        html.write_pdf()

    assert isinstance(raised.value.__cause__, RefusedURL)
