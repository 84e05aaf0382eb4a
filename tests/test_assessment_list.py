"""My assessments: the signed-in physician's own, most recent first, searchable, paginated."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Assessment
from assessment.steps import STEPS
from tests.assessment_helpers import make_assessment
from tests.criteria.vignettes import VIGNETTES

pytestmark = pytest.mark.django_db

LIST = reverse("assessment:list")


@pytest.fixture
def signed_in(client, physician):
    client.force_login(physician)
    return client


def shown(response):
    return [a.patient_reference for a in response.context["page"].object_list]


def test_it_shows_the_physicians_assessments(signed_in, physician):
    make_assessment(physician, patient_reference="MRN-1001")

    response = signed_in.get(LIST)

    assert response.status_code == 200
    assert shown(response) == ["MRN-1001"]
    assert b"MRN-1001" in response.content
    assert b'<td data-label="Status">Draft</td>' in response.content
    assert b"Indeterminate</span>" in response.content


def test_it_shows_the_status_and_verdict_of_each(signed_in, physician):
    by_id = {v["id"]: v["findings"] for v in VIGNETTES}
    make_assessment(physician, patient_reference="MRN-MEETS", **by_id["V01"])
    make_assessment(physician, patient_reference="MRN-NOT", **by_id["V02"])
    make_assessment(
        physician,
        patient_reference="MRN-DONE",
        completed_steps=[step.slug for step in STEPS],
    )

    response = signed_in.get(LIST)

    content = response.content.decode()
    assert '<span class="badge text-bg-success">Meets</span>' in content
    assert '<span class="badge text-bg-secondary">Does not meet</span>' in content
    assert '<span class="badge text-bg-warning">Indeterminate</span>' in content
    assert '<td data-label="Status">Complete</td>' in content
    assert '<td data-label="Status">Draft</td>' in content


def test_it_does_not_show_another_physicians_assessments(signed_in, physician, other_physician):
    make_assessment(physician, patient_reference="MRN-MINE")
    make_assessment(other_physician, patient_reference="MRN-THEIRS")

    response = signed_in.get(LIST)

    assert shown(response) == ["MRN-MINE"]
    assert b"MRN-THEIRS" not in response.content


def test_it_links_each_assessment_to_its_summary(signed_in, physician):
    assessment = make_assessment(physician)

    response = signed_in.get(LIST)

    assert reverse("assessment:summary", args=[assessment.pk]).encode() in response.content


def test_it_shows_the_most_recently_changed_first(signed_in, physician):
    older = make_assessment(physician, patient_reference="MRN-OLD")
    make_assessment(physician, patient_reference="MRN-NEW")
    older.pn_present = "yes"
    older.save()

    response = signed_in.get(LIST)

    assert shown(response) == ["MRN-OLD", "MRN-NEW"]


def test_it_finds_an_assessment_by_part_of_its_patient_reference_in_any_case(
    signed_in, physician, other_physician
):
    make_assessment(physician, patient_reference="STUDY-ABC-17")
    make_assessment(physician, patient_reference="MRN-0099")
    make_assessment(other_physician, patient_reference="STUDY-ABC-18")

    response = signed_in.get(LIST, {"q": "  abc-1 "})

    assert shown(response) == ["STUDY-ABC-17"]
    assert b'value="abc-1"' in response.content


def test_it_says_when_no_assessment_matches(signed_in, physician):
    make_assessment(physician, patient_reference="MRN-0099")

    response = signed_in.get(LIST, {"q": "zzz"})

    assert shown(response) == []
    assert "No assessment matches “zzz”.".encode() in response.content


def test_it_says_when_there_are_no_assessments_yet(signed_in, other_physician):
    make_assessment(other_physician)

    response = signed_in.get(LIST)

    assert response.status_code == 200
    assert b"No assessments yet." in response.content
    assert b"<table" not in response.content


def test_it_shows_twenty_assessments_a_page(signed_in, physician):
    for number in range(25):
        make_assessment(physician, patient_reference=f"MRN-{number:04}")

    first = signed_in.get(LIST)
    second = signed_in.get(LIST, {"page": 2})

    assert len(shown(first)) == 20
    assert b"Page 1 of 2" in first.content
    assert b'href="?page=2"' in first.content
    assert len(shown(second)) == 5
    assert b"Page 2 of 2" in second.content
    assert set(shown(first)) | set(shown(second)) == {f"MRN-{n:04}" for n in range(25)}


def test_it_keeps_the_search_when_changing_page(signed_in, physician):
    for number in range(21):
        make_assessment(physician, patient_reference=f"ABC-{number:04}")
    make_assessment(physician, patient_reference="OTHER")

    response = signed_in.get(LIST, {"q": "abc"})

    assert b'href="?q=abc&amp;page=2"' in response.content
    assert len(shown(signed_in.get(LIST, {"q": "abc", "page": 2}))) == 1


def test_it_shows_the_last_page_for_a_page_beyond_it(signed_in, physician):
    make_assessment(physician)

    response = signed_in.get(LIST, {"page": 7})

    assert response.status_code == 200
    assert len(shown(response)) == 1


def test_it_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={LIST}"


def test_the_list_costs_the_same_queries_however_many_assessments(signed_in, physician):
    make_assessment(physician, patient_reference="MRN-FIRST")
    signed_in.get(LIST)

    with CaptureQueriesContext(connection) as with_one:
        assert shown(signed_in.get(LIST)) == ["MRN-FIRST"]
    for number in range(49):
        make_assessment(physician, patient_reference=f"MRN-{number:04}")
    with CaptureQueriesContext(connection) as with_fifty:
        assert len(shown(signed_in.get(LIST))) == 20

    assert Assessment.objects.filter(owner=physician).count() == 50
    assert len(with_fifty) == len(with_one)


def test_it_pages_the_physicians_whole_list_without_counting_her_cases(
    signed_in, physician, other_physician
):
    for number in range(21):
        make_assessment(physician, patient_reference=f"MRN-{number:04}")
    make_assessment(other_physician, patient_reference="OTHER")

    with CaptureQueriesContext(connection) as queries:
        response = signed_in.get(LIST)

    assert b"Page 1 of 2" in response.content
    assert [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()] == []


def test_a_searched_list_counts_its_matches(signed_in, physician):
    for number in range(21):
        make_assessment(physician, patient_reference=f"ABC-{number:04}")
    for number in range(21):
        make_assessment(physician, patient_reference=f"XYZ-{number:04}")

    response = signed_in.get(LIST, {"q": "abc"})

    assert b"Page 1 of 2" in response.content
    assert response.context["page"].paginator.count == 21
