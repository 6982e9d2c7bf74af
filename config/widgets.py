"""Widgets that render faster than Django's template-per-option default.

Django renders a choice widget with one template per option: on a phone's wizard step
the list of countries, the gender radio buttons and the languages' checkboxes cost more
than everything else on the page. These give the same markup, built in Python.
"""

from functools import lru_cache

from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField


class QuickSelect(forms.Select):
    """A <select> built in Python, not by one template per option.

    The markup is what Django's Select gives (attributes, the selected option, the
    empty choice); option groups are not supported, and the list must be flat.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = {str(v) for v in self.format_value(value)}
        options = "".join(
            f"{start}{' selected' if option_value in selected else ''}{end}"
            for option_value, start, end in self.option_parts()
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), mark_safe(options))  # noqa: S308 - each part escaped in option_parts

    def option_parts(self):
        """Each option as (value, escaped markup before the selected mark, after it)."""
        return [
            (str(value), f'<option value="{escape(value)}"', f">{escape(label)}</option>")
            for value, label in self.choices
        ]


class CountrySelect(QuickSelect):
    """The list of countries (an empty choice, then every country by its name in the
    reader's language), its markup built once per language and process."""

    def option_parts(self):
        return country_option_parts(get_language())

    def use_required_attribute(self, initial):
        # As Select's, which walks the whole list to find its first choice: here it is
        # always the empty one.
        return forms.Widget.use_required_attribute(self, initial)


@lru_cache(maxsize=16)
def country_option_parts(language):
    # django-countries sorts the names in the active language, which is `language`.
    return QuickSelect(choices=[*BLANK_CHOICE_DASH, *countries]).option_parts()


class CountryChoiceField(LazyTypedChoiceField):
    """django-countries' form field, shown with CountrySelect and checking a code by
    looking it up rather than by walking some 250 choices. Pass it to the model field's
    formfield as `choices_form_class`."""

    widget = CountrySelect

    def valid_value(self, value):
        return value in countries


class QuickChoicesMixin:
    """Radio buttons or checkboxes built in Python from the context Django's own
    templates get (the ids, `checked`, `required`), in the same markup."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group for group, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = [
            format_html(
                '<div>\n    <label{}><input type="{}" name="{}"{}{}> {}</label></div>',
                format_html(' for="{}"', option["attrs"]["id"])
                if option["attrs"].get("id")
                else "",
                option["type"],
                option["name"],
                format_html(' value="{}"', option["value"]) if option["value"] is not None else "",
                flatatt(option["attrs"]),
                option["label"],
            )
            for _group, group_options, _index in widget["optgroups"]
            for option in group_options
        ]
        outer = {"id": widget["attrs"].get("id"), "class": widget["attrs"].get("class")}
        return format_html("<div{}>{}\n</div>", flatatt(outer), mark_safe("".join(options)))  # noqa: S308 - each option escaped by format_html


class QuickRadioSelect(QuickChoicesMixin, forms.RadioSelect):
    pass


class QuickCheckboxSelectMultiple(QuickChoicesMixin, forms.CheckboxSelectMultiple):
    pass
