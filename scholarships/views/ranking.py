"""The coordinator's ranking of a call's reviewed applications, on screen and as CSV."""

import csv

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from accounts.audit import log_action
from accounts.reauth import reauthenticate_first, recently_authenticated
from conferences.enums import Region

from ..enums import Gender
from ..queries import calls_visible_to, from_ranking, ranking_for_call

FLAG_LABELS = {
    "both_sides_of_line": _("reviewers on both sides of the funding line"),
    "wide_spread": _("reviewers far apart"),
}
REVIEWER_FLAGS = {
    "harsh": _("much harsher than the others"),
    "lenient": _("much more lenient than the others"),
    "same_score_everywhere": _("the same score everywhere"),
    "few_reviews": _("fewer than 5 reviews: calibration is unsure"),
}
SORTS = {
    "calibrated": lambda row: -row["calibrated"],
    "raw": lambda row: -row["raw_mean"],
    "reviews": lambda row: row["reviews"],
}


def spreadsheet_safe(value):
    """A cell that a spreadsheet will not run as a formula (numbers pass as they are)."""
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def filtered_ranking(rows, region, gender, flagged, sort):
    if region:
        rows = [row for row in rows if row["region"] == region]
    if gender:
        rows = [row for row in rows if row["gender"] == gender]
    if flagged:
        rows = [row for row in rows if row["flags"]]
    return sorted(rows, key=SORTS[sort])


def page_number(text):
    """The page asked for, as a number (the paginator makes it a page that exists)."""
    return int(text) if text and text.isdigit() and len(text) < 7 else 1


@permission_required("scholarships.manage_calls", raise_exception=True)
def call_ranking(request, slug):
    call = get_object_or_404(calls_visible_to(request.user), slug=slug)
    region, gender = request.GET.get("region", ""), request.GET.get("gender", "")
    region = region if region in Region.values else ""
    gender = gender if gender in Gender.values else ""
    flagged = request.GET.get("flagged") == "1"
    sort = request.GET.get("sort", "calibrated")
    sort = sort if sort in SORTS else "calibrated"
    if request.GET.get("format") == "csv":
        if not recently_authenticated(request):
            return reauthenticate_first(request)
        rows = filtered_ranking(ranking_for_call(call)[0], region, gender, flagged, sort)
        return ranking_csv(request, call, rows)
    number = page_number(request.GET.get("page"))

    def one_page(ranking):
        rows, funding_line, flagged_reviewers = ranking
        page = Paginator(filtered_ranking(rows, region, gender, flagged, sort), 50).get_page(number)
        return {
            "rows": list(page.object_list),
            "number": page.number,
            "count": page.paginator.count,
            "funding_line": funding_line,
            "flagged_reviewers": flagged_reviewers,
        }

    shown = from_ranking(call, ("page", region, gender, flagged, sort, number), one_page)
    # The page as the paginator would give it, from the rows kept for it.
    page = Page(shown["rows"], shown["number"], Paginator(range(shown["count"]), 50))
    for row in page.object_list:
        row["flag_labels"] = [FLAG_LABELS[flag] for flag in row["flags"]]
        row["region_label"] = Region(row["region"]).label if row["region"] else "—"
        row["gender_label"] = Gender(row["gender"]).label if row["gender"] else "—"
    members = {
        str(member.pk): member.reviewer.display_name
        for member in call.panel.select_related("reviewer")
    }
    reviewer_rows = [
        (members.get(key, "—"), [REVIEWER_FLAGS[reason] for reason in reasons])
        for key, reasons in sorted(
            shown["flagged_reviewers"].items(), key=lambda item: members.get(item[0], "")
        )
    ]
    return render(
        request,
        "scholarships/call_ranking.html",
        {
            "call": call,
            "page": page,
            "funding_line": round(shown["funding_line"], 2),
            "regions": Region.choices,
            "genders": Gender.choices,
            "region": region,
            "gender": gender,
            "flagged": flagged,
            "reviewer_rows": reviewer_rows,
        },
    )


def ranking_csv(request, call, rows):
    log_action(actor=request.user, action="ranking.exported", obj=call)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ranking.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["rank", "reference", "region", "gender", "reviews", "raw_mean", "calibrated", "flags"]
    )
    for row in rows:
        writer.writerow(
            [
                spreadsheet_safe(value)
                for value in (
                    row["rank"],
                    row["reference"],
                    row["region"],
                    row["gender"],
                    row["reviews"],
                    row["raw_mean"],
                    row["calibrated"],
                    " ".join(row["flags"]),
                )
            ]
        )
    return response
