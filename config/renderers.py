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

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape


def attributes(attrs):
    """As django/forms/attrs.html: ` name="value"` in order, a bare ` name` for True,
    nothing for False."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_input(context):
    """As django/forms/widgets/input.html, which every input type includes."""
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{attributes(widget["attrs"])}>'
    )


def render_textarea(context):
    """As django/forms/widgets/textarea.html."""
    widget = context["widget"]
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"'
        f"{attributes(widget['attrs'])}>\n{value}</textarea>"
    )


def render_label(context):
    """As django/forms/label.html (a label, or a legend: `tag`)."""
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return label
    tag = conditional_escape(context["tag"])
    return f"<{tag}{attributes(context['attrs'])}>{label}</{tag}>"


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
