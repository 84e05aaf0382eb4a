"""`manage.py seed_demo`: a demo physician, an admin, and one assessment per shared vignette."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessment.models import Assessment
from assessment.steps import STEPS
from tests.criteria.vignettes import VIGNETTES

pytestmark = pytest.mark.django_db


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_creates_the_demo_physician_and_an_admin():
    seed()

    users = get_user_model().objects
    demo, admin = users.get(username="demo"), users.get(username="admin")
    assert (demo.is_staff, demo.is_superuser) == (False, False)
    assert (admin.is_staff, admin.is_superuser) == (True, True)


def test_it_creates_one_complete_assessment_per_vignette_for_the_demo_physician():
    seed()

    assessments = Assessment.objects.filter(owner__username="demo")
    assert sorted(a.patient_reference for a in assessments) == sorted(
        f"DEMO-{vignette['id']}" for vignette in VIGNETTES
    )
    assert Assessment.objects.count() == len(VIGNETTES)
    for assessment in assessments:
        assert assessment.status == Assessment.Status.COMPLETE
        assert assessment.completed_steps == [step.slug for step in STEPS]
        assert assessment.criteria_version


def test_it_stores_each_vignettes_primary_verdict():
    seed()

    verdicts = {a.patient_reference: a.primary_verdict for a in Assessment.objects.all()}
    assert verdicts == {
        f"DEMO-{v['id']}": v["expected_outcomes"]["dispenzieri_updated_2007_imwg2014"]["result"]
        for v in VIGNETTES
    }


def test_running_it_twice_changes_nothing():
    seed()
    users = {u.username: (u.pk, u.password) for u in get_user_model().objects.all()}
    versions = dict(Assessment.objects.values_list("patient_reference", "version"))

    output = seed()

    assert {u.username: (u.pk, u.password) for u in get_user_model().objects.all()} == users
    assert dict(Assessment.objects.values_list("patient_reference", "version")) == versions
    assert f"0 new assessment(s), {len(VIGNETTES)} vignettes in all" in output


def test_it_leaves_no_known_password_outside_development(settings):
    settings.DEBUG = False

    seed()

    for user in get_user_model().objects.filter(username__in=["demo", "admin"]):
        assert not user.has_usable_password()
