"""Questions to the physician: a reviewer asks, the physician answers and corrects, the reviewer
closes; threads are kept, audited, shown in the admin and the PDF; an open query blocks review."""

import io

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from assessment import pdf, services
from assessment.models import Assessment
from review import services as review_services
from review.models import Query, QueryEvent, QueryMessage
from tests.assessment_helpers import make_assessment, make_physician

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(physician):
    return make_assessment(physician, patient_reference="MRN-QUERY", bone_lesion_type="none")


@pytest.fixture
def reviewer(db):
    user = make_physician("rita")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Reviewers"))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def physician_client(physician):
    client = Client()
    client.force_login(physician)
    return client


def ask(reviewer_client, case, text="Was CT with bone windows done?", finding="bone_imaging"):
    return reviewer_client.post(
        reverse("admin:review_query_ask", args=[case.pk]), {"text": text, "finding": finding}
    )


def test_a_reviewer_opens_a_query_on_a_finding_from_the_admin(reviewer, case):
    user, client = reviewer

    response = ask(client, case)

    assert response.status_code == 302
    [query] = Query.objects.filter(assessment=case)
    assert (query.finding, query.status, query.opened_by) == ("bone_imaging", "open", user)
    assert query.messages.get().text == "Was CT with bone windows done?"


def test_the_physician_sees_open_queries_on_the_list_and_the_summary(
    reviewer, case, physician_client
):
    ask(reviewer[1], case)

    listing = physician_client.get(reverse("assessment:list")).content.decode()
    summary = physician_client.get(reverse("assessment:summary", args=[case.pk])).content.decode()

    assert "Query open" in listing
    assert "Questions from the reviewer" in summary
    assert "On bone imaging" in summary and "Was CT with bone windows done?" in summary
    assert 'name="text"' in summary  # the answer form


def test_the_physician_answers_and_the_reviewer_closes(reviewer, case, physician_client, physician):
    user, client = reviewer
    ask(client, case)
    query = Query.objects.get()

    answered = physician_client.post(
        reverse("review:answer", args=[case.pk, query.pk]), {"text": "Yes: no lesion on CT."}
    )
    closed = client.post(reverse("admin:review_query_close", args=[query.pk]))

    assert answered.status_code == closed.status_code == 302
    query.refresh_from_db()
    assert (query.status, query.closed_by) == ("closed", user)
    assert [(m.author, m.text) for m in query.messages.all()] == [
        (user, "Was CT with bone windows done?"),
        (physician, "Yes: no lesion on CT."),
    ]
    listing = physician_client.get(reverse("assessment:list")).content.decode()
    assert "Query open" not in listing


def test_another_physician_cannot_answer(reviewer, case, other_physician):
    ask(reviewer[1], case)
    query = Query.objects.get()
    client = Client()
    client.force_login(other_physician)

    response = client.post(reverse("review:answer", args=[case.pk, query.pk]), {"text": "Mine"})

    assert response.status_code == 404
    assert query.messages.count() == 1


def test_a_case_with_an_open_query_cannot_be_marked_reviewed(reviewer, case):
    user, client = reviewer
    ask(client, case)

    with pytest.raises(services.Refused, match="query is not closed"):
        services.review(case, user, "reviewed", "")
    client.post(
        reverse("admin:assessment_assessment_changelist"),
        {"action": "mark_reviewed", helpers.ACTION_CHECKBOX_NAME: [str(case.pk)]},
    )
    assert Assessment.objects.get(pk=case.pk).review_status == "unreviewed"

    review_services.close(Query.objects.get(), user)
    services.review(case, user, "reviewed", "")
    assert Assessment.objects.get(pk=case.pk).review_status == "reviewed"


def test_threads_are_audited_and_messages_never_change(reviewer, case):
    ask(reviewer[1], case)
    query = Query.objects.get()
    review_services.close(query, reviewer[0])

    assert [e.pgh_label for e in QueryEvent.objects.filter(pgh_obj=query)] == [
        "insert",
        "update",
    ]
    with pytest.raises(DatabaseError, match="permission denied"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE review_querymessage SET text = 'changed'")
    assert QueryMessage.objects.get().text == "Was CT with bone windows done?"


def test_the_admin_shows_the_thread_and_the_pdf_its_review_section(reviewer, case):
    ask(reviewer[1], case)

    page = reviewer[1].get(reverse("admin:assessment_assessment_change", args=[case.pk]))
    document = pdf.render_pdf(Assessment.objects.get(pk=case.pk))

    assert "Queries to the physician" in page.content.decode()
    assert "Was CT with bone windows done?" in page.content.decode()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(document)).pages)
    assert "Questions from the reviewer" in text and "Was CT with bone windows done?" in text


def test_a_draft_a_reviewer_asked_about_stays_on_record(reviewer, case, physician_client):
    ask(reviewer[1], case)

    physician_client.post(reverse("assessment:delete", args=[case.pk]))

    assert Assessment.objects.filter(pk=case.pk).exists()


def test_an_empty_or_oversized_question_is_refused_with_a_message(reviewer, case):
    for text in ("", "q" * 2001):
        response = ask(reviewer[1], case, text=text)
        assert response.status_code == 302
    assert not Query.objects.exists()
