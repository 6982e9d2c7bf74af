"""config.renderers.FormRenderer gives, in Python, the markup Django's templates give."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from config.renderers import PYTHON_RENDERERS, FormRenderer
from config.widgets import QuickRadioSelect
from scholarships.forms import AboutForm

DJANGO = DjangoTemplates()
OURS = FormRenderer()
TRICKY = "a \"quoted\" <b>bold</b> & 'single'"
lazy_text = lazy(lambda: TRICKY, str)()


@pytest.fixture
def without_templates(monkeypatch):
    """OURS may load no template: what it renders, it renders in Python."""

    def no_template(template_name):
        raise AssertionError(f"{template_name} was rendered from its template")

    monkeypatch.setattr(OURS, "get_template", no_template)


WIDGETS = [
    forms.TextInput(),
    forms.TextInput(attrs={"maxlength": 200, "required": True, "disabled": False}),
    forms.TextInput(attrs={"placeholder": TRICKY, "data-x": None, "aria-label": lazy_text}),
    forms.EmailInput(attrs={"autocomplete": "email"}),
    forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.DateInput(attrs={"type": "date"}),
    forms.URLInput(),
    forms.FileInput(attrs={"accept": ".pdf,.jpg"}),
    forms.CheckboxInput(),
    forms.Textarea(attrs={"rows": 3, "data-word-limit": 300}),
    forms.Textarea(attrs={"class": mark_safe("a&amp;b")}),  # noqa: S308 - a test value
]
VALUES = [None, "", "plain", TRICKY, mark_safe("<i>safe</i>"), 12, 0, True, False]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda widget: type(widget).__name__)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_widgets_render_as_with_djangos_templates(widget, value, without_templates):
    attrs = {"id": "id_field", "aria-describedby": "id_field_helptext"}
    ours = widget.render("step-field", value, attrs=attrs, renderer=OURS)
    assert ours == widget.render("step-field", value, attrs=attrs, renderer=DJANGO)


def test_a_date_and_a_localised_value_render_alike(without_templates):
    widget = forms.DateInput(attrs={"type": "date"})
    value = datetime.date(2028, 7, 23)
    assert widget.render("d", value, renderer=OURS) == widget.render("d", value, renderer=DJANGO)


class Form(forms.Form):
    name = forms.CharField(label=TRICKY)
    city = forms.CharField(label=gettext_lazy("City"), required=False)
    bio = forms.CharField(label="Why?", widget=forms.Textarea)


@pytest.mark.parametrize("form_kwargs", [{}, {"label_suffix": ""}, {"label_suffix": " →"}])
def test_labels_render_as_with_djangos_template(form_kwargs, without_templates):
    ours = Form(renderer=OURS, **form_kwargs)
    django = Form(renderer=DJANGO, **form_kwargs)
    ours.required_css_class = django.required_css_class = "required"
    for name in ours.fields:
        assert ours[name].label_tag() == django[name].label_tag()
        assert ours[name].label_tag(attrs={"class": "big"}, tag="span") == django[name].label_tag(
            attrs={"class": "big"}, tag="span"
        )
        assert ours[name].legend_tag() == django[name].legend_tag()
        assert str(ours[name]) == str(django[name])
    # Without an id there is no tag: only the text.
    no_id = Form(renderer=OURS, auto_id=False)
    assert no_id["name"].label_tag() == Form(renderer=DJANGO, auto_id=False)["name"].label_tag()


def test_the_whole_form_renders_alike_bound_and_with_errors():
    data = {"name": "", "city": TRICKY, "bio": "x\n<y>"}
    assert str(Form(data, renderer=OURS)) == str(Form(data, renderer=DJANGO))


def test_a_callable_attribute_is_called_as_a_template_would():
    widget = forms.TextInput(attrs={"data-at": lambda: "called"})
    assert widget.render("f", "x", renderer=OURS) == widget.render("f", "x", renderer=DJANGO)
    assert 'data-at="called"' in widget.render("f", "x", renderer=OURS)


@pytest.mark.parametrize("template_name", sorted(PYTHON_RENDERERS))
def test_each_template_built_in_python_is_still_djangos_own(template_name):
    # An app overriding one of them would be ignored: drop it from PYTHON_RENDERERS then.
    origin = DJANGO.get_template(template_name).origin.name
    assert origin.endswith(f"django/forms/templates/{template_name}")


def test_forms_render_with_the_python_renderer_by_default(settings):
    assert settings.FORM_RENDERER == "config.renderers.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)


# templates/form_snippet.html as it was, a template, before config.renderers.render_fields
# wrote the same markup in Python.
FORM_SNIPPET = """{% load i18n %}{% if form.non_field_errors %}<div class="errors" role="alert">{{ form.non_field_errors }}</div>{% endif %}
{% for field in form.hidden_fields %}{{ field }}{% endfor %}
{% for field in form.visible_fields %}
  <div class="field{% if field.errors %} has-error{% endif %}">
    {% if field.use_fieldset %}<fieldset><legend>{{ field.label }}</legend>{% else %}{{ field.label_tag }}{% endif %}
    {% if field.help_text %}<p class="help" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</p>{% endif %}
    {% if field.errors %}<div class="errors" id="{{ field.auto_id }}_error" role="alert">{{ field.errors }}</div>{% endif %}
    {{ field }}
    {% if field.use_fieldset %}</fieldset>{% endif %}
  </div>
{% endfor %}
"""  # noqa: E501 - the template's own lines


class EveryPart(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    step = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=TRICKY, help_text=TRICKY, max_length=5)
    gender = forms.ChoiceField(
        label=lazy_text,
        choices=[("a", "A"), ("b", TRICKY)],
        widget=QuickRadioSelect,
        help_text=mark_safe("<em>safe</em> help"),  # noqa: S308 - a test value
    )
    languages = forms.MultipleChoiceField(
        label="Languages", choices=[("en", "English"), ("fr", "Français")], required=False
    )
    letter = forms.FileField(required=False, help_text=gettext_lazy("City"))
    why = forms.CharField(widget=forms.Textarea, required=False)
    agree = forms.BooleanField(label="I agree")

    def clean(self):
        if self.cleaned_data.get("name") == "no":
            raise forms.ValidationError(["Not this name.", TRICKY])
        return self.cleaned_data


FORMS = {
    "unbound": lambda: EveryPart(),
    "bound with field errors": lambda: EveryPart({"name": "far too long", "gender": "x"}),
    "bound with form errors": lambda: EveryPart(
        {"token": "t", "name": "no", "gender": "a", "agree": "on"}
    ),
    "valid": lambda: EveryPart({"token": "t", "name": "Ana", "gender": "b", "agree": "on"}),
    "without ids": lambda: EveryPart({"name": "far too long"}, auto_id=False),
    "with a prefix": lambda: EveryPart(prefix="about"),
    "hidden fields only": lambda: forms.Form(),
    "the wizard's About step": lambda: AboutForm({"about-gender": "x"}, prefix="about", call=None),
}


@pytest.mark.parametrize("make_form", FORMS.values(), ids=FORMS.keys())
@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
def test_form_snippet_renders_as_its_template_did(make_form, language):
    form = make_form()
    with translation.override(language):
        expected = Template(FORM_SNIPPET).render(Context({"form": form}))
        assert render_to_string("form_snippet.html", {"form": form}) == expected


def test_form_snippet_cases_show_every_part():
    shown = Template(FORM_SNIPPET).render(Context({"form": FORMS["bound with form errors"]()}))
    for part in ('<div class="errors" role="alert">', 'type="hidden"', "<legend>", "_helptext"):
        assert part in shown, part
    shown = Template(FORM_SNIPPET).render(Context({"form": FORMS["bound with field errors"]()}))
    assert "has-error" in shown and "_error" in shown
