"""Building blocks for the assessment view tests: physicians, assessments, and form posts.

Assessments are made through `assessment.services.record`, as the app makes them, so the
stored primary verdict, criteria version and sex-specific items are the app's own.
"""

import datetime

from django.contrib.auth import get_user_model

from assessment import services
from assessment.models import NOT_ASSESSED, Assessment

ASSESSMENT_DATE = datetime.date(2025, 3, 14)


def make_physician(username):
    return get_user_model().objects.create_user(username, password=f"{username} passphrase")


def make_assessment(owner, **findings):
    """An assessment of `owner`'s, saved with its verdict; `findings` may also set any field.

    A vignette's findings can be passed as they are: unknown and empty values are left at the
    model's default (not assessed / not measured).
    """
    assessment = Assessment(
        owner=owner,
        patient_reference=findings.pop("patient_reference", "MRN-0001"),
        assessment_date=findings.pop("assessment_date", ASSESSMENT_DATE),
    )
    for name, value in findings.items():
        if value is not None and value != NOT_ASSESSED:
            setattr(assessment, name, value)
    return services.record(assessment)


def step_post_data(client, url, **changes):
    """What a browser would post from the step page at `url`: every field, as shown, changed.

    A browser posts every field of the form (a radio group always has one checked), so a test
    that posts only the field it cares about would not be testing what the page receives.
    A disabled field is left out, as a browser leaves it out.
    """
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    data = {}
    for bound in form:
        if bound.field.disabled:
            continue
        value = bound.value()
        data[bound.name] = "" if value is None else value
    data.update(changes)
    return data
