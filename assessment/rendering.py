"""Django's own form markup for the few templates the admin's case page draws a hundred times.

The admin's change page holds every finding of every step: some ninety labels and widgets, each
drawn through a template of Django's form renderer, which took over a third of the page's
time. `LeanRenderer` produces the same markup for those templates directly (labels, text and
hidden inputs, drop-downs) and leaves every other template to Django. tests/test_admin.py
checks that both give the same HTML for every field of the page.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs) -> str:
    """django/forms/attrs.html and widgets/attrs.html."""
    drawn = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        if value is True:
            drawn.append(f" {conditional_escape(name)}")
        else:
            drawn.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(drawn)


def _label(context) -> str:
    """django/forms/label.html."""
    if not context["use_tag"]:
        return conditional_escape(context["label"])
    tag = conditional_escape(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{conditional_escape(context['label'])}</{tag}>"


def _input(context) -> str:
    """django/forms/widgets/input.html (text and hidden inputs include it)."""
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _option(option) -> str:
    """django/forms/widgets/select_option.html, with the newline it ends with."""
    return (
        f'<option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


def _select(context) -> str:
    """django/forms/widgets/select.html."""
    widget = context["widget"]
    drawn = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _ in widget["optgroups"]:
        if group_name:
            drawn.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            drawn.append("\n  " + _option(option))
        if group_name:
            drawn.append("\n  </optgroup>")
    drawn.append("\n</select>")
    return "".join(drawn)


_DRAWN = {
    "django/forms/label.html": _label,
    "django/forms/widgets/text.html": _input,
    "django/forms/widgets/hidden.html": _input,
    "django/forms/widgets/select.html": _select,
}


class LeanRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        draw = _DRAWN.get(template_name)
        if draw is None:
            return super().render(template_name, context, request)
        return mark_safe(draw(context).strip())  # noqa: S308 - every part escaped above
