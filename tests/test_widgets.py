"""The choice widgets built in Python (config/widgets.py)."""

import pytest


def test_the_quick_country_list_keeps_the_answer_the_label_and_the_escaping():
    from django import forms
    from django_countries.fields import CountryField

    from config.widgets import QuickSelect

    class Form(forms.Form):
        country = CountryField().formfield(label="Country", widget=QuickSelect)

    form = Form(data={"country": "XX"})
    form.is_valid()
    html = str(form["country"])

    assert html.startswith("<select ") and html.endswith("</select>")
    for attribute in ('id="id_country"', 'name="country"', " required", 'aria-invalid="true"'):
        assert attribute in html.split(">", 1)[0]
    assert '<option value="SN">Senegal</option>' in html
    assert str(Form(initial={"country": "SN"})["country"]).count(" selected") == 1
    select = QuickSelect(choices=[("a", "<b>&</b>")])
    assert '<option value="a">&lt;b&gt;&amp;&lt;/b&gt;</option>' in select.render("x", None)


def same_markup(first, second):
    """The same elements, attributes and text, whatever the order of the attributes."""
    from django.test.html import parse_html

    return parse_html(first) == parse_html(second)


@pytest.mark.parametrize(
    "data",
    [None, {"one": "b", "many": ["a", "c"], "country": "SN"}, {"one": "zz", "country": "XX"}],
)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_quick_widgets_give_djangos_markup_and_answers(data, language):
    from django import forms
    from django.utils import translation
    from django_countries.fields import CountryField

    from config.widgets import (
        CountryChoiceField,
        CountrySelect,
        QuickCheckboxSelectMultiple,
        QuickRadioSelect,
    )

    assert isinstance(
        CountryField().formfield(choices_form_class=CountryChoiceField).widget, CountrySelect
    )

    choices = [("a", "A & <b>"), ("b", "B"), ("c", "C")]

    class Django(forms.Form):
        one = forms.ChoiceField(choices=choices, widget=forms.RadioSelect(attrs={"class": "x"}))
        many = forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, required=False
        )
        country = CountryField().formfield()

    class Quick(forms.Form):
        one = forms.ChoiceField(choices=choices, widget=QuickRadioSelect(attrs={"class": "x"}))
        many = forms.MultipleChoiceField(
            choices=choices, widget=QuickCheckboxSelectMultiple, required=False
        )
        country = CountryField().formfield(choices_form_class=CountryChoiceField)

    with translation.override(language):
        django, quick = Django(data), Quick(data)
        assert django.is_valid() == quick.is_valid()
        assert django.errors == quick.errors
        for name in ("one", "many", "country"):
            assert same_markup(str(django[name]), str(quick[name])), name


@pytest.mark.parametrize("auto_id", ["id_%s", False])
@pytest.mark.parametrize("value", [None, "", "b", ["a", "c"], ["zz"]])
def test_quick_radio_buttons_and_checkboxes_match_djangos_for_odd_choices(auto_id, value):
    from django import forms
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from config.widgets import QuickCheckboxSelectMultiple, QuickRadioSelect

    choices = [(None, "None"), ("a", mark_safe("<em>A</em>")), ("b", gettext_lazy("Yes")), (3, "3")]
    pairs = [
        (forms.RadioSelect(choices=choices), QuickRadioSelect(choices=choices)),
        (
            forms.CheckboxSelectMultiple(choices=choices),
            QuickCheckboxSelectMultiple(choices=choices),
        ),
        (
            forms.RadioSelect(choices=choices, attrs={"class": "c", "aria-invalid": "true"}),
            QuickRadioSelect(choices=choices, attrs={"class": "c", "aria-invalid": "true"}),
        ),
    ]
    for django, quick in pairs:
        attrs = {"id": auto_id % "field", "required": True} if auto_id else {"required": False}
        expected = django.render("field", value, attrs=attrs)
        assert same_markup(quick.render("field", value, attrs=attrs), expected), expected
