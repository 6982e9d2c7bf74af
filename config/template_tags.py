"""The project's template tags (`{% load forms %}`: TEMPLATES' "libraries")."""

from django import template

from .renderers import render_fields

register = template.Library()


@register.simple_tag
def form_fields(form):
    """A form's errors and fields in the project's layout (config.renderers.render_fields)."""
    return render_fields(form)
