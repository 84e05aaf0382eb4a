"""Record the warnings of assessments saved before warning_ids existed."""

from django.db import migrations

from assessment.criteria import CATALOGUE, FindingsError, evaluate


def fill_warning_ids(apps, schema_editor):
    Assessment = apps.get_model("assessment", "Assessment")
    for assessment in Assessment.objects.filter(warning_ids=[]).iterator(chunk_size=500):
        # A finding added to the engine after this migration is not on the historical model.
        values = {finding.key: getattr(assessment, finding.key, None) for finding in CATALOGUE}
        findings = {key: value for key, value in values.items() if value not in (None, "unknown")}
        try:
            evaluation = evaluate(findings)
        except FindingsError:
            continue  # The summary page names the contradiction; nothing to record here.
        warning_ids = [warning.id for warning in evaluation.warnings]
        if warning_ids:
            Assessment.objects.filter(pk=assessment.pk).update(warning_ids=warning_ids)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_accessevent_assessmentevent_and_more")]

    operations = [migrations.RunPython(fill_warning_ids, migrations.RunPython.noop)]
