"""Signing archives the PDF: the document rendered at signing is the one served ever after."""

import hashlib
import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from assessment import pdf, services
from assessment.models import AccessEvent, Assessment, SignedDocument
from assessment.steps import STEPS
from tests.assessment_helpers import make_assessment
from tests.criteria.vignettes import VIGNETTES

pytestmark = pytest.mark.django_db

V01 = next(v for v in VIGNETTES if v["id"] == "V01")


def text_of(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


@pytest.fixture
def signed(physician):
    case = make_assessment(physician, patient_reference="MRN-SIGN", **V01["findings"])
    case.completed_steps = [step.slug for step in STEPS]
    return services.sign(services.record(case), physician)


@pytest.fixture
def signed_in(physician):
    client = Client()
    client.force_login(physician)
    return client


def test_signing_stores_the_pdf_it_renders(signed):
    [document] = SignedDocument.objects.filter(assessment=signed)

    content = bytes(document.pdf)
    assert content.startswith(b"%PDF")
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert (document.signed_at, document.signed_by, document.findings_sha256) == (
        signed.signed_at,
        signed.signed_by,
        signed.signed_findings_sha256,
    )
    assert document.criteria_version == signed.signed_criteria_version
    text = text_of(content)
    assert "MRN-SIGN" in text and "Signed" in text
    assert "Meets the updated Dispenzieri criteria" in text


def test_the_download_of_a_signed_case_is_the_archived_document(signed, signed_in, admin_user):
    document = SignedDocument.objects.get(assessment=signed)
    # A review after signing: a fresh render would print it, the signed document does not.
    services.review(signed, admin_user, "reviewed", "Checked against the chart.")

    response = signed_in.get(reverse("assessment:pdf", args=[signed.pk]))

    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == document.sha256
    assert "Checked against the chart." not in text_of(response.content)
    assert "Checked against the chart." in text_of(
        pdf.render_pdf(Assessment.objects.get(pk=signed.pk))
    )
    assert AccessEvent.objects.filter(assessment=signed, kind="pdf").exists()


def test_a_rule_revision_leaves_the_signed_document_as_signed(signed, signed_in):
    document = SignedDocument.objects.get(assessment=signed)
    Assessment.objects.filter(pk=signed.pk).update(
        primary_verdict="indeterminate", criteria_version="3+later"
    )

    response = signed_in.get(reverse("assessment:pdf", args=[signed.pk]))

    assert hashlib.sha256(response.content).hexdigest() == document.sha256


def test_unlocking_and_signing_again_archives_a_new_document_and_keeps_the_old(
    signed, physician, admin_user, signed_in
):
    first = SignedDocument.objects.get(assessment=signed)
    services.unlock(signed, admin_user, "a finding to correct")
    case = Assessment.objects.get(pk=signed.pk)
    case.skin_plethora = "yes"
    services.record(case)

    again = services.sign(Assessment.objects.get(pk=signed.pk), physician)

    documents = list(SignedDocument.objects.filter(assessment=signed).order_by("signed_at"))
    assert [d.pk for d in documents][0] == first.pk and len(documents) == 2
    assert documents[1].signed_at == again.signed_at
    assert documents[0].sha256 == first.sha256  # kept as it was
    served = signed_in.get(reverse("assessment:pdf", args=[signed.pk])).content
    assert hashlib.sha256(served).hexdigest() == documents[1].sha256


def test_the_admin_lists_every_signed_document_and_serves_each(signed, admin_client):
    document = SignedDocument.objects.get(assessment=signed)

    page = admin_client.get(reverse("admin:assessment_assessment_change", args=[signed.pk]))
    download = admin_client.get(
        reverse("admin:assessment_assessment_signed_document", args=[signed.pk, document.pk])
    )

    content = page.content.decode()
    assert "Signed PDFs" in content and document.sha256 in content
    assert "(current signature)" in content
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == document.sha256


def test_a_document_of_another_case_is_not_served_under_this_one(signed, admin_client, physician):
    other = make_assessment(physician, patient_reference="MRN-OTHER")
    document = SignedDocument.objects.get(assessment=signed)

    response = admin_client.get(
        reverse("admin:assessment_assessment_signed_document", args=[other.pk, document.pk])
    )

    assert response.status_code == 404


def test_a_case_signed_before_documents_were_kept_still_gets_its_pdf(signed, signed_in):
    # Such a case has no archive: the PDF is rendered, its record showing the signed verdict.
    Assessment.objects.filter(pk=signed.pk).update(signed_at=signed.signed_at.replace(year=2025))

    response = signed_in.get(reverse("assessment:pdf", args=[signed.pk]))

    assert response.status_code == 200
    assert "Signed verdict" in text_of(response.content)
