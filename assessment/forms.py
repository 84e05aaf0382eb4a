"""One form per step, built from the step definition; the engine's validation runs in clean()."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.db.models import FloatField

from assessment.criteria import FINDINGS, FindingsError, parse_findings
from assessment.models import NOT_ASSESSED, Assessment
from assessment.services import findings_of, not_applicable_for_sex
from assessment.steps import STEPS, Step, step_of

# Short lists read best as a row of radio buttons; longer ones as a drop-down.
_MOST_RADIOS = 5
# Lean versions of crispy-bootstrap5's field templates, with the same markup.
_RADIOS = "assessment/fields/radios.html"
_INPUT = "assessment/fields/input.html"


class StepForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, step: Step, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.fields["version"].initial = self.instance.version
        for name in not_applicable_for_sex(self.instance) & set(self.fields):
            field = self.fields[name]
            field.disabled = True
            field.help_text = f"Not applicable: the patient is {self.instance.sex}."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "version",
            *(
                Field(name, template=_RADIOS if _as_radios(self.fields[name]) else _INPUT)
                for name in step.fields
            ),
        )

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("vegf_value")
        if value is not None and cleaned.get("vegf_sample") == NOT_ASSESSED:
            self.add_error(
                "vegf_sample",
                "Required once a VEGF value is entered: plasma and serum have different cut-offs.",
            )
        self._check_with_the_engine(cleaned)
        return cleaned

    def _check_with_the_engine(self, cleaned):
        """Refuse what the engine would refuse, with each problem beside the fields it names."""
        findings = findings_of(self.instance)
        for name in self.step.fields:
            if name in FINDINGS and name in cleaned:
                findings.pop(name, None)
                if cleaned[name] is not None and cleaned[name] != NOT_ASSESSED:
                    findings[name] = cleaned[name]
        try:
            parse_findings(findings)
        except FindingsError as error:
            for problem in error.problems:
                here = [key for key in problem.keys if key in self.fields]
                message = problem.message[0].upper() + problem.message[1:]
                elsewhere = [key for key in problem.keys if key not in self.fields]
                if elsewhere:
                    message += " — see " + "; ".join(
                        f"{Assessment._meta.get_field(key).verbose_name} on the "
                        f"{step_of(key).title} step"
                        for key in elsewhere
                    )
                for key in here:
                    if key not in self.errors:
                        self.add_error(key, message)
                if not here:
                    self.add_error(None, message)


def _as_radios(field) -> bool:
    choices = getattr(field, "choices", None)
    return choices is not None and len(choices) <= _MOST_RADIOS


def _widget(model_field) -> forms.Widget | None:
    if isinstance(model_field, FloatField):
        # A text box, not type=number: a browser silently sends a malformed number as empty,
        # and would turn "1,5" into 15; the server says "Enter a number" and keeps the text.
        return forms.TextInput(attrs={"inputmode": "decimal"})
    if len(model_field.choices or ()) in range(1, _MOST_RADIOS + 1):
        return forms.RadioSelect()
    return None


def _form_class(step: Step) -> type[StepForm]:
    return forms.modelform_factory(
        Assessment,
        form=StepForm,
        fields=step.fields,
        widgets={name: _widget(Assessment._meta.get_field(name)) for name in step.fields},
    )


FORMS = {step.slug: _form_class(step) for step in STEPS}
