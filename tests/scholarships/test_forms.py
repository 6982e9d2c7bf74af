import pytest
from django.utils import timezone

from scholarships.forms import CallForm
from tests.factories import ConferenceFactory, aware

pytestmark = pytest.mark.django_db


def form_data(conference, **changes):
    data = {
        "conference": conference.pk,
        "slug": "aids-2030",
        "opens_at": "2027-03-01 09:00",
        "closes_at": "2027-03-28 23:59",
        "number_of_awards": "20",
        "reviewers_per_application": "2",
        "retention_days": "730",
        "support_offered": ["airfare", "per_diem"],
    }
    for name in ("title", "public_name", "summary", "description", "eligibility"):
        for index in range(5):
            data[f"{name}_{index}"] = f"{name} {index}" if index == 0 else ""
    data.update(changes)
    return data


def test_times_are_read_as_wall_clock_at_the_venue_whatever_the_staff_zone():
    conference = ConferenceFactory(time_zone="Asia/Bangkok")

    with timezone.override("America/Los_Angeles"):
        form = CallForm(data=form_data(conference))
        assert form.is_valid(), form.errors
        call = form.save()

    assert call.opens_at == aware("Asia/Bangkok", 2027, 3, 1, 9, 0)
    assert call.closes_at == aware("UTC", 2027, 3, 28, 16, 59)
    assert str(call.title) == "title 0"


def test_a_call_that_closes_before_it_opens_is_refused():
    conference = ConferenceFactory()

    form = CallForm(data=form_data(conference, closes_at="2027-02-01 09:00"))

    assert not form.is_valid()
    assert form.errors["closes_at"] == ["A call must close after it opens."]


def test_unknown_support_kinds_are_refused():
    form = CallForm(data=form_data(ConferenceFactory(), support_offered=["yacht"]))

    assert not form.is_valid()
    assert "support_offered" in form.errors


def test_the_quick_country_list_keeps_the_answer_the_label_and_the_escaping():
    from django import forms
    from django_countries.fields import CountryField

    from scholarships.widgets import QuickSelect

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

    from scholarships.widgets import (
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
