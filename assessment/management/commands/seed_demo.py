"""`manage.py seed_demo`: a demo physician, an admin, and the shared vignettes as assessments."""

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessment.criteria import FindingsError
from assessment.models import Assessment
from assessment.services import record
from assessment.steps import STEPS

VIGNETTES = settings.BASE_DIR.parent / "shared" / "clinical" / "vignettes.json"
# Known passwords, so that a new developer can sign in at once; printed in development only.
DEMO_USERS = {
    "demo": {"password": "poems-demo-physician", "is_staff": False, "first_name": "Demo"},
    "admin": {"password": "poems-demo-admin", "is_staff": True, "is_superuser": True},
}


class Command(BaseCommand):
    help = (
        "Create a demo physician and an admin, and load the shared vignettes as the demo "
        "physician's assessments. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--vignettes", type=Path, default=VIGNETTES)

    @transaction.atomic
    def handle(self, *args, vignettes, **options):
        try:
            cases = json.loads(vignettes.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"{vignettes}: cannot be read as JSON ({error})") from error
        users = {name: self._user(name, **fields) for name, fields in DEMO_USERS.items()}
        created = sum(self._assessment(users["demo"], case) for case in cases)
        self.stdout.write(f"Demo data: {created} new assessment(s), {len(cases)} vignettes in all.")

    def _user(self, username, *, password, **fields):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created:
            if settings.DEBUG:
                user.set_password(password)
                self.stdout.write(f"Created {username!r} with password {password!r}.")
            else:
                # Never a known password on a production server.
                user.set_unusable_password()
                self.stdout.write(f"Created {username!r}: set a password with changepassword.")
            user.save()
        return user

    def _assessment(self, owner, case) -> bool:
        reference = f"DEMO-{case['id']}"
        if Assessment.objects.filter(owner=owner, patient_reference=reference).exists():
            return False
        assessment = Assessment(
            owner=owner,
            patient_reference=reference,
            assessment_date=timezone.localdate(),
            completed_steps=[step.slug for step in STEPS],
            version=0,
        )
        for key, value in case["findings"].items():
            if value is not None and value != "unknown":
                setattr(assessment, key, value)
        try:
            record(assessment)
        except FindingsError as error:
            raise CommandError(f"vignette {case['id']}: {error}") from error
        return True
