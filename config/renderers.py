"""The form renderer: Django's own, with its commonest small templates written in Python.

A wizard step renders each field through three or four tiny templates (the label, the
input or textarea, the attributes), each costing a template render: about a third of the
CPU of a step shown to an applicant. Here those templates give the same markup, built
in Python from the same context; every other template (errors, selects, radio buttons
that are not `config.widgets`' own, the admin's) is rendered by Django as usual.
`tests/test_renderers.py` compares the two, widget by widget.

A project overriding one of the templates named here must drop it from PYTHON_RENDERERS,
or the override would be ignored (a test checks that each is still Django's own).
"""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe


def escaped(value):
    """As django.utils.html.conditional_escape, as a plain string: the value's own
    `__html__()` if it is safe, else its text escaped (what `escape` gives) without
    `escape`'s lazy-string wrapper, which a page of choices would call a hundred times."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def attributes(attrs):
    """As django/forms/attrs.html: ` name="value"` in order, a bare ` name` for True,
    nothing for False."""
    return "".join(
        f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_input(context):
    """As django/forms/widgets/input.html, which every input type includes."""
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{escaped(value)}"'
    return (
        f'<input type="{escaped(widget["type"])}" '
        f'name="{escaped(widget["name"])}"{shown}{attributes(widget["attrs"])}>'
    )


def render_textarea(context):
    """As django/forms/widgets/textarea.html."""
    widget = context["widget"]
    value = escaped(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{escaped(widget["name"])}"'
        f"{attributes(widget['attrs'])}>\n{value}</textarea>"
    )


def render_label(context):
    """As django/forms/label.html (a label, or a legend: `tag`)."""
    label = escaped(context["label"])
    if not context["use_tag"]:
        return label
    tag = escaped(context["tag"])
    return f"<{tag}{attributes(context['attrs'])}>{label}</{tag}>"


def render_fields(form):
    """As `{% include "form_snippet.html" %}` did, from its template: the form's errors,
    its hidden fields, then each visible field in a `div.field` with its label (a legend
    for a group of choices), help text, errors and widget. The widgets and errors are
    rendered as usual, through the form's renderer; only the layout around them is
    written here, without a template render per field."""
    parts = []
    errors = form.non_field_errors()
    if errors:
        parts.append(f'<div class="errors" role="alert">{errors}</div>')
    parts.append("\n")
    parts += [str(field) for field in form.hidden_fields()]
    parts.append("\n")
    for field in form.visible_fields():
        errors, fieldset, auto_id = field.errors, field.use_fieldset, escaped(field.auto_id)
        label = (
            f"<fieldset><legend>{escaped(field.label)}</legend>" if fieldset else field.label_tag()
        )
        help_text = (
            f'<p class="help" id="{auto_id}_helptext">{escaped(field.help_text)}</p>'
            if field.help_text
            else ""
        )
        shown_errors = (
            f'<div class="errors" id="{auto_id}_error" role="alert">{errors}</div>'
            if errors
            else ""
        )
        parts.append(
            f'\n  <div class="field{" has-error" if errors else ""}">'
            f"\n    {label}\n    {help_text}\n    {shown_errors}\n    {field}"
            f"\n    {'</fieldset>' if fieldset else ''}\n  </div>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped or safe


INPUT_TYPES = [
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "file",
    "hidden",
    "input",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
]
PYTHON_RENDERERS = {
    **{f"django/forms/widgets/{name}.html": render_input for name in INPUT_TYPES},
    "django/forms/widgets/textarea.html": render_textarea,
    "django/forms/label.html": render_label,
}


def has_callable_attribute(context):
    """A template calls a callable attribute value before printing it; those rare
    widgets are left to the templates."""
    attrs = context["widget"]["attrs"] if "widget" in context else context["attrs"]
    return any(callable(value) for value in (attrs or {}).values())


class FormRenderer(DjangoTemplates):
    """Django's default form renderer, with the templates in PYTHON_RENDERERS built in
    Python."""

    def render(self, template_name, context, request=None):
        render = PYTHON_RENDERERS.get(template_name)
        if render is None or has_callable_attribute(context):
            return super().render(template_name, context, request=request)
        # As Django's: stripped, and marked safe by the caller (every part is escaped).
        return render(context).strip()
