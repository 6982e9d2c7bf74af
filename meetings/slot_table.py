"""The slot finder's table: each participant's local time at each candidate start.

A page lists everyone invited, up to some 500 people, one row each: the cells are built
here, in Python, once for each group of people who see the candidates alike, rather
than by the template once per person and candidate.
"""

from django.utils.formats import date_format, time_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _


def local_time_rows(rows):
    """The slot finder's rows as (user, cells): the table cells of the person's local
    time at each candidate, "outside their hours" beside those that are.

    Everyone in a time zone shares the same local times, formatted once per zone (under
    the active language, as the `date` filter would: "Mon 08:00–09:30"), and everyone
    with the same zone and the same times inside their hours shares the same cells, built
    once: a page of 500 people costs little more than one of 200.
    """
    outside = format_html(" <strong>{}</strong>", _("outside their hours"))
    labels_of_zone = {}
    cells_of = {}
    formatted = []
    for user, views in rows:
        if not views:
            formatted.append((user, ""))
            continue
        zone = views[0].zone
        key = (zone, *(view.inside for view in views))
        cells = cells_of.get(key)
        if cells is None:
            labels = labels_of_zone.get(zone)
            if labels is None:
                labels = labels_of_zone[zone] = [
                    f"{date_format(view.start, 'D')} {time_format(view.start, 'H:i')}"
                    f"–{time_format(view.end, 'H:i')}"
                    for view in views
                ]
            cells = cells_of[key] = format_html_join(
                "",
                "<td>{}{}</td>",
                (
                    (label, "" if view.inside else outside)
                    for label, view in zip(labels, views, strict=True)
                ),
            )
        formatted.append((user, cells))
    return formatted
