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

from .renderers import attributes, escaped


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
    """Radio buttons or checkboxes built in Python, as Django's own templates build them
    from `optgroups` (the ids, `checked`, `required`), without the per-option dictionaries
    and format_html calls: five options cost about 0.2 ms that way."""

    def render(self, name, value, attrs=None, renderer=None):
        if any(isinstance(label, (list, tuple)) for _value, label in self.choices):
            return super().render(name, value, attrs, renderer)  # option groups
        attrs = self.build_attrs(self.attrs, attrs)
        values = self.format_value(value)
        name = escaped(name)
        options, has_selected = [], False
        for index, (option_value, label) in enumerate(self.choices):
            option_value = "" if option_value is None else option_value
            selected = (not has_selected or self.allow_multiple_selected) and str(
                option_value
            ) in values
            has_selected |= selected
            option_attrs = {**attrs, "checked": True} if selected else attrs
            if attrs.get("id"):
                option_attrs = {**option_attrs, "id": f"{attrs['id']}_{index}"}
            label_for = f' for="{escaped(option_attrs["id"])}"' if option_attrs.get("id") else ""
            options.append(
                f'<div>\n    <label{label_for}><input type="{self.input_type}" name="{name}"'
                f' value="{escaped(option_value)}"{attributes(option_attrs)}>'
                f" {escaped(label)}</label></div>"
            )
        outer = {key: attrs[key] for key in ("id", "class") if attrs.get(key)}
        return mark_safe(f"<div{attributes(outer)}>{''.join(options)}\n</div>")  # noqa: S308 - every part escaped above


class QuickRadioSelect(QuickChoicesMixin, forms.RadioSelect):
    pass


class QuickCheckboxSelectMultiple(QuickChoicesMixin, forms.CheckboxSelectMultiple):
    pass
