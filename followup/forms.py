"""The visit form: reads what was typed and lets the follow-up engine decide (followup.md 3.3),
each refusal beside the fields it names, in the screen's words."""

from django import forms

from assessment.forms import FindingChoiceField, FindingNumberField
from assessment.wording import choice_label
from assessment.wording import say as say_finding
from followup import services
from followup.engine import VISIT_FIELDS, Kind
from followup.models import FollowUpVisit


def say(key: str, value: str | None) -> str:
    """A visit field or a baseline finding, or one of its values, in the screen's words."""
    if key not in VISIT_FIELDS:
        return say_finding(key, value)
    field = FollowUpVisit._meta.get_field(key)
    if value is None:
        return str(field.verbose_name)
    if key == "treatment_since_last_visit":
        field = field.base_field
    return str(choice_label(field, value)) if field.choices else value


def problem_text(problem) -> str:
    text = problem.render(say)
    return text[:1].upper() + text[1:]


class TreatmentsField(forms.MultipleChoiceField):
    """The treatments ticked, passed on as posted: the engine says what is allowed."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value):
        return True


def visit_field(model_field) -> forms.Field:
    field = VISIT_FIELDS[model_field.name]
    options = {
        "label": model_field.verbose_name[:1].upper() + model_field.verbose_name[1:],
        "help_text": model_field.help_text,
        "required": False,
    }
    if field.kind in (Kind.NUMBER, Kind.INTEGER):
        return FindingNumberField(**options)
    if field.kind is Kind.TREATMENTS:
        return TreatmentsField(choices=model_field.base_field.choices, **options)
    if field.kind is Kind.DATE:
        # As typed: the engine refuses a date that is not one, in its words.
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **options)
    if field.kind is Kind.TEXT:
        widget = forms.Textarea(attrs={"rows": 3}) if field.key == "note" else forms.TextInput
        return forms.CharField(widget=widget, **options)
    return FindingChoiceField(choices=model_field.choices, **options)


class VisitForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FollowUpVisit
        fields = services.VISIT_KEYS
        formfield_callback = visit_field

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["version"].initial = self.instance.version
        if self.instance.pk:
            self.initial["visit_date"] = self.instance.visit_date.isoformat()

    def _get_validation_exclusions(self):
        # The engine validated the visit in clean(); the model's checks would be a second one.
        return super()._get_validation_exclusions() | set(services.VISIT_KEYS)

    def clean(self):
        cleaned = super().clean()
        visit = self.instance if self.instance.pk else None
        # What the save will hold: a field left out of the post keeps its stored value.
        values = {
            key: getattr(self.instance, key)
            if self.fields[key].widget.value_omitted_from_data(
                self.data, self.files, self.add_prefix(key)
            )
            else cleaned.get(key)
            for key in services.VISIT_KEYS
        }
        for refused in services.visit_problems(self.assessment, values, visit):
            message = problem_text(refused.problem)
            if refused.elsewhere == "baseline":
                message = f"The baseline: {message} — correct it on the assessment's steps."
            elif refused.elsewhere:
                message = f"The visit of {refused.elsewhere}: {message}"
            here = [k for k in refused.problem.keys if k in self.fields] * (not refused.elsewhere)
            for key in here or [None]:
                if message not in self.errors.get(key or "__all__", ()):
                    self.add_error(key, message)
        if not self.errors:
            cleaned["visit_date"] = services.as_date(cleaned["visit_date"])
            for key in ("vegf_assay", "note"):
                cleaned[key] = cleaned.get(key) or ""
            cleaned["treatment_since_last_visit"] = cleaned.get("treatment_since_last_visit") or []
        return cleaned
