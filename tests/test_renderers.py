"""config.renderers.FormRenderer gives, in Python, the markup Django's templates give."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from config.renderers import PYTHON_RENDERERS, FormRenderer

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
