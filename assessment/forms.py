"""One form per step, built from the step definition.

The criteria engine is the one validation of findings: a finding's form field only reads what
was typed (a choice as its string, a number as a number, or the text as typed when it is not
one) and the engines decide, in `clean()`: the criteria engine's `parse_findings` and the
follow-up engine's staging rules (`parse_baseline` does both). So the form refuses exactly what
the engine refuses, each problem beside the fields it names, in the screen's words.
"""

import math

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Fieldset, Layout
from django import forms
from django.utils.text import capfirst

from assessment.criteria import FINDINGS, FindingsError
from assessment.criteria.findings import Kind
from assessment.models import NOT_ASSESSED, Assessment
from assessment.services import findings_of, not_applicable_for_sex
from assessment.steps import STEPS, Step, step_of
from assessment.wording import problem_text, say
from followup.engine import parse_baseline

# Short lists read best as a row of radio buttons; longer ones as a drop-down.
_MOST_RADIOS = 5
# Lean versions of crispy-bootstrap5's field templates, with the same markup.
_RADIOS = "assessment/fields/radios.html"
_INPUT = "assessment/fields/input.html"


class FindingChoiceField(forms.ChoiceField):
    """A choice finding: offers the engine's values, passes on whatever was posted."""

    def valid_value(self, value):
        return True  # the engine says what is allowed, in clean()


class FindingNumberField(forms.Field):
    """A measured finding: a number when the text is one, else the text, for the engine to
    refuse with its own message. A text box, not type=number: a browser silently sends a
    malformed number as empty, and would turn "1,5" into 15."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def prepare_value(self, value):
        # As typed: 150, not the 150.0 a float prints; every digit kept (repr round-trips).
        if isinstance(value, float):
            shown = repr(value)
            return shown.removesuffix(".0")
        return value

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            return text
        return number if math.isfinite(number) else text


def finding_field(name: str, *, radios: bool = True) -> forms.Field:
    """The form field of a finding, labelled and explained as the model says; a short list as
    radio buttons unless `radios` is false (the admin's drop-downs)."""
    model_field = Assessment._meta.get_field(name)
    options = {"label": capfirst(model_field.verbose_name), "help_text": model_field.help_text}
    if FINDINGS[name].kind is Kind.NUMBER:
        return FindingNumberField(required=False, **options)
    if FINDINGS[name].kind is Kind.TEXT:
        # No length limit here: a text too long is refused by the engine, in its words.
        return forms.CharField(required=False, **options)
    choices = model_field.choices
    widget = forms.RadioSelect if radios and len(choices) <= _MOST_RADIOS else forms.Select
    # Not required: a finding left out is refused by the engine, in its words, like any other.
    return FindingChoiceField(choices=choices, widget=widget, required=False, **options)


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
        self.helper.layout = Layout("version", *self._layout(step))

    def _layout(self, step: Step):
        for section in step.sections:
            fields = [self._field(name) for name in section.fields if name in self.fields]
            if not fields:
                continue
            if not section.title:
                yield from fields
                continue
            guidance = [HTML(f'<p class="form-text">{section.guidance}</p>')] * bool(
                section.guidance
            )
            yield Fieldset(section.title, *guidance, *fields, css_class="step-section")

    def _field(self, name: str) -> Field:
        radios = isinstance(self.fields[name].widget, forms.RadioSelect)
        return Field(name, template=_RADIOS if radios else _INPUT)

    def _get_validation_exclusions(self):
        # The engine validated the findings in clean(); the model's own checks would be a second
        # opinion on them.
        return super()._get_validation_exclusions() | set(FINDINGS)

    def clean(self):
        cleaned = super().clean()
        self._check_with_the_engine(cleaned)
        return cleaned

    def _check_with_the_engine(self, cleaned):
        """Refuse what the engine would refuse, with each problem beside the fields it names."""
        findings = findings_of(self.instance)
        for name in self.step.fields:
            if name in FINDINGS and name in cleaned:
                findings.pop(name, None)
                value = cleaned[name]
                # An empty text is one left empty; an empty choice is refused by the engine.
                empty_text = value == "" and FINDINGS[name].kind is Kind.TEXT
                if value is not None and value != NOT_ASSESSED and not empty_text:
                    findings[name] = value
        try:
            # The criteria's rules, and the staging rules of followup.md 3.3.
            parse_baseline(findings)
        except FindingsError as error:
            for problem in error.problems:
                self._show(problem)

    def _show(self, problem):
        here = [key for key in problem.keys if key in self.fields]
        message = problem_text(problem)
        elsewhere = [key for key in problem.keys if key not in self.fields]
        if elsewhere:
            message += " — see " + "; ".join(
                f"{say(key, None)} on the {step_of(key).title} step" for key in elsewhere
            )
        for key in here:
            if message not in self.errors.get(key, ()):
                self.add_error(key, message)
        if not here:
            self.add_error(None, message)


def as_posted(name: str, value) -> str:
    """A stored value as the step's form posts it back (a 409 page's merged values)."""
    if value is None:
        return ""
    if name in FINDINGS:
        return str(finding_field(name).prepare_value(value))
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def formfield(model_field, **options) -> forms.Field:
    """A finding's field is `finding_field`'s; any other, the model's own."""
    if model_field.name in FINDINGS:
        return finding_field(model_field.name)
    return model_field.formfield(**options)


def _form_class(step: Step) -> type[StepForm]:
    return forms.modelform_factory(
        Assessment, form=StepForm, fields=step.fields, formfield_callback=formfield
    )


FORMS = {step.slug: _form_class(step) for step in STEPS}
