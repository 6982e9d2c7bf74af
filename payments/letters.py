"""PDF letters and sheets: plain data in, PDF bytes out. No database here.

Four documents, each a function `render_<document>(data) -> bytes`:
- the award letter, to the awardee, in their language;
- the visa invitation letter, "to whom it may concern", with the passport details;
- the per-diem acknowledgement sheet, one row per scholar paid cash on site;
- the budget summary of a call, per award and with totals per currency.

Discretion: these pages cross borders in people's luggage and land on embassy desks.
Every wording says "a scholarship to attend an international health conference" and the
call's neutral public name, nothing more. Every string a person typed (names, passport
data, the conference's venue) is escaped before it reaches reportlab's paragraph markup,
which would otherwise read `<img src="...">` in a name as an instruction to open a file.

One font renders everything (settings.PDF_FONT_PATH, WenQuanYi Zen Hei by default: Latin,
Cyrillic and Chinese in one face), embedded as a subset so a reader needs nothing installed.
reportlab is imported inside the functions: only the views that serve PDFs pay for it.
"""

import datetime
import functools
import io
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from babel.numbers import format_decimal
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_countries import countries

from .money import decimal_places

FONT_NAME = "PortalText"


@dataclass(frozen=True)
class ConferenceDetails:
    name: str
    acronym: str
    city: str
    country: str  # ISO 3166 code: named in the reader's language when printed
    venue: str
    start_date: datetime.date
    end_date: datetime.date


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str


@dataclass(frozen=True)
class CoveredItem:
    label: str  # already translated: what the scholarship pays for
    amount: Amount | None = None


@dataclass(frozen=True)
class AwardLetter:
    language: str
    reference: str
    scholar_name: str
    call_name: str
    conference: ConferenceDetails
    full_award: bool
    covers: tuple[CoveredItem, ...]
    issued_on: datetime.date


@dataclass(frozen=True)
class VisaLetter:
    language: str
    reference: str
    legal_name: str
    nationality: str  # ISO 3166 code
    date_of_birth: datetime.date | str
    passport_number: str
    passport_expires_on: datetime.date | str
    call_name: str
    conference: ConferenceDetails
    covers: tuple[str, ...]
    issued_on: datetime.date


@dataclass(frozen=True)
class PerDiemRow:
    name: str
    amount: Amount | None  # None: the amount is written by hand on the day


@dataclass(frozen=True)
class PerDiemSheet:
    language: str
    call_name: str
    conference: ConferenceDetails
    rows: tuple[PerDiemRow, ...]
    issued_on: datetime.date


@dataclass(frozen=True)
class BudgetRow:
    reference: str
    region: str  # already translated
    budgeted: Amount | None
    paid: Amount | None


@dataclass(frozen=True)
class BudgetSummary:
    language: str
    call_name: str
    conference: ConferenceDetails
    rows: tuple[BudgetRow, ...]
    issued_on: datetime.date
    # False until award budgets exist: the summary then says the amounts are not known.
    budgets_recorded: bool = True
    notes: tuple[str, ...] = field(default=())


# Text helpers ----------------------------------------------------------------------------


def text(template, **values):
    """A translated `template` filled with `values`, as plain text: `paragraph` escapes it.
    A value ending a sentence with its own full stop (the Russian "2028 г.") keeps one."""
    filled = template % values
    return filled[:-1] if filled.endswith("..") else filled


def format_amount(amount):
    """“1,234.50 USD” in English, “1 234,50 USD” in Russian: the reader's digits and the ISO
    code, never a symbol that several currencies share ($)."""
    if amount is None:
        return "—"
    places = decimal_places(amount.currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    number = format_decimal(
        amount.value, format=pattern, locale=translation.to_locale(translation.get_language())
    )
    # The narrow no-break space (French) is missing from some fonts; the plain one is not.
    return f"{number.replace('\u202f', '\u00a0')}\u00a0{amount.currency}"


def format_date(value):
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    # English's own format abbreviates some months only ("Jan. 1" beside "April 2"): an
    # embassy reads "1 January 2035". No-break spaces: a date is never split across lines.
    english = translation.get_language().startswith("en")
    formatted = formats.date_format(value, "j F Y" if english else "DATE_FORMAT")
    return formatted.replace(" ", "\u00a0")


def country_name(code):
    return countries.name(code) or code


def totals_by_currency(amounts):
    """{currency: Amount}, sorted by currency; amounts in two currencies are never added."""
    totals = {}
    for amount in amounts:
        if amount is not None:
            totals[amount.currency] = totals.get(amount.currency, Decimal(0)) + amount.value
    return [Amount(totals[code], code) for code in sorted(totals)]


# reportlab -------------------------------------------------------------------------------


@functools.cache
def register_font(path, subfont_index):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        font = TTFont(FONT_NAME, path, subfontIndex=subfont_index)
    except OSError as error:
        raise ImproperlyConfigured(
            f"PDF_FONT_PATH: cannot read the font {path} ({error}). On Debian: "
            "apt-get install fonts-wqy-zenhei."
        ) from error
    pdfmetrics.registerFont(font)
    return FONT_NAME


def font():
    return register_font(settings.PDF_FONT_PATH, settings.PDF_FONT_SUBFONT_INDEX)


@functools.cache
def styles(font_name, word_wrap):
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle(
        "body", fontName=font_name, fontSize=10.5, leading=15, spaceAfter=7, wordWrap=word_wrap
    )
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, spaceAfter=0),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        "number": ParagraphStyle(
            "number", parent=body, fontSize=9.5, leading=12, spaceAfter=0, alignment=TA_RIGHT
        ),
        "title": ParagraphStyle(
            "title", parent=body, fontSize=16, leading=21, spaceBefore=6, spaceAfter=12
        ),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT, spaceAfter=2),
    }


def build_pdf(story, *, title, footer=None):
    """The story laid out on A4 with the portal's font everywhere (also as the canvas's
    initial font, so no standard PDF font is ever named) and a neutral document title."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    font_name = font()
    buffer = io.BytesIO()

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont(font_name, 8)
        note = f"{footer} · {doc.page}" if footer else str(doc.page)
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, note)
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=title,
        author="",
        subject="",
        creator="",
        initialFontName=font_name,
        invariant=True,
    )
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def table(rows, widths, *, header=True, totals=0, row_height=None):
    """A grid; the header row shaded and repeated on each page, the last `totals` rows set
    apart by a rule."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    commands = [
        # Cells' own font, even empty ones: reportlab's default would name Helvetica.
        ("FONTNAME", (0, 0), (-1, -1), font()),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
    ]
    if totals:
        commands.append(("LINEABOVE", (0, -totals), (-1, -totals), 1.2, colors.black))
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")))
    heights = None
    if row_height is not None:
        heights = [None] + [row_height] * (len(rows) - 1) if header else row_height
    result = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1 if header else 0)
    result.setStyle(TableStyle(commands))
    return result


def signature_lines(labels):
    """A label and a line to write on, for each label."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    rows = [[paragraph(label, "cell"), ""] for label in labels]
    result = Table(rows, colWidths=[70 * mm, 90 * mm], rowHeights=12 * mm)
    result.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font()),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
            ]
        )
    )
    return result


def paragraph(plain, style="body"):
    """A paragraph of plain text: escaped here, the one door into reportlab's markup, so a
    name such as `Ana & <img src="/etc/passwd"/>` prints as typed and opens nothing."""
    from reportlab.platypus import Paragraph

    # Chinese has no spaces to break lines at: "CJK" breaks between any two characters.
    # Elsewhere lines break at spaces only, and no-break spaces hold (dates, amounts).
    word_wrap = "CJK" if translation.get_language().startswith("zh") else None
    return Paragraph(escape(plain), styles(font(), word_wrap)[style])


def letter_head(reference, issued_on):
    return [
        paragraph(text(_("Reference: %(reference)s"), reference=reference), "right"),
        paragraph(text(_("Date: %(date)s"), date=format_date(issued_on)), "right"),
    ]


def conference_values(conference):
    """The conference's details as placeholders for a sentence, in the reader's language."""
    return {
        "conference": conference.name,
        "acronym": conference.acronym,
        "city": conference.city,
        "country": country_name(conference.country),
        "start": format_date(conference.start_date),
        "end": format_date(conference.end_date),
    }


def conference_line(conference):
    return text(
        _("%(conference)s (%(acronym)s), %(city)s, %(country)s, %(start)s – %(end)s"),
        **conference_values(conference),
    )


def amount_cell(amount):
    return paragraph(format_amount(amount) if amount is not None else "", "number")


# The documents ---------------------------------------------------------------------------


def render_award_letter(letter):
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    with translation.override(letter.language):
        if letter.full_award:
            sentence = _(
                "We are pleased to confirm that you have been awarded a full scholarship "
                "under %(call)s to attend %(conference)s (%(acronym)s), an international "
                "health conference, in %(city)s, %(country)s, from %(start)s to %(end)s."
            )
        else:
            sentence = _(
                "We are pleased to confirm that you have been awarded a partial scholarship "
                "under %(call)s to attend %(conference)s (%(acronym)s), an international "
                "health conference, in %(city)s, %(country)s, from %(start)s to %(end)s."
            )
        story = [
            *letter_head(letter.reference, letter.issued_on),
            paragraph(_("Scholarship award letter"), "title"),
            paragraph(text(_("Dear %(name)s,"), name=letter.scholar_name)),
            paragraph(
                text(sentence, call=letter.call_name, **conference_values(letter.conference))
            ),
        ]
        if letter.conference.venue:
            story.append(paragraph(text(_("Venue: %(venue)s"), venue=letter.conference.venue)))
        rows = [[paragraph(item.label, "cell"), amount_cell(item.amount)] for item in letter.covers]
        totals = totals_by_currency(item.amount for item in letter.covers)
        rows += [[paragraph(_("Total"), "cell"), amount_cell(total)] for total in totals]
        if rows:
            story += [
                paragraph(_("The scholarship covers:")),
                table(rows, [120 * mm, 45 * mm], header=False, totals=len(totals)),
            ]
        story += [
            Spacer(1, 5 * mm),
            paragraph(
                _(
                    "Please keep this letter with your travel documents. If anything in it "
                    "is wrong, write to us quoting the reference above."
                )
            ),
            Spacer(1, 4 * mm),
            paragraph(_("With best wishes,")),
            paragraph(_("The scholarship committee")),
        ]
        return build_pdf(story, title=_("Letter"), footer=letter.reference)


def render_visa_letter(letter):
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    with translation.override(letter.language):
        details = [
            (_("Full name as in the passport"), letter.legal_name),
            (_("Nationality"), country_name(letter.nationality)),
            (_("Date of birth"), format_date(letter.date_of_birth)),
            (_("Passport number"), letter.passport_number),
            (_("Passport valid until"), format_date(letter.passport_expires_on)),
        ]
        sentence = _(
            "This letter confirms that the person named below has been awarded a scholarship "
            "under %(call)s to attend %(conference)s (%(acronym)s), an international health "
            "conference, in %(city)s, %(country)s, from %(start)s to %(end)s."
        )
        story = [
            *letter_head(letter.reference, letter.issued_on),
            paragraph(_("Invitation letter"), "title"),
            paragraph(_("To whom it may concern,")),
            paragraph(
                text(sentence, call=letter.call_name, **conference_values(letter.conference))
            ),
            table(
                [[paragraph(label, "cell"), paragraph(value, "cell")] for label, value in details],
                [60 * mm, 105 * mm],
                header=False,
            ),
            Spacer(1, 5 * mm),
        ]
        if letter.covers:
            story.append(
                paragraph(
                    text(
                        _("The scholarship covers: %(items)s."),
                        items=pgettext("list separator", ", ").join(letter.covers),
                    )
                )
            )
        if letter.conference.venue:
            story.append(paragraph(text(_("Venue: %(venue)s"), venue=letter.conference.venue)))
        story += [
            paragraph(
                _(
                    "We would be grateful for any help you can give so that this person can "
                    "attend. For any question about this letter, please write to us quoting "
                    "the reference above."
                )
            ),
            Spacer(1, 4 * mm),
            paragraph(_("Yours faithfully,")),
            paragraph(_("The scholarship committee")),
        ]
        return build_pdf(story, title=_("Letter"), footer=letter.reference)


def render_per_diem_sheet(sheet):
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    with translation.override(sheet.language):
        story = [
            paragraph(_("Daily allowance paid in cash: acknowledgement"), "title"),
            paragraph(sheet.call_name),
            paragraph(conference_line(sheet.conference)),
            paragraph(
                _(
                    "By signing, each scholar acknowledges receiving in cash the amount on "
                    "their row."
                )
            ),
        ]
        header = [
            paragraph("#", "cell"),
            paragraph(_("Name"), "cell"),
            paragraph(_("Amount"), "number"),
            paragraph(_("Signature"), "cell"),
        ]
        rows = [header]
        for number, row in enumerate(sheet.rows, start=1):
            rows.append(
                [
                    paragraph(str(number), "cell"),
                    paragraph(row.name, "cell"),
                    amount_cell(row.amount),
                    "",
                ]
            )
        totals = totals_by_currency(row.amount for row in sheet.rows)
        rows += [["", paragraph(_("Total"), "cell"), amount_cell(total), ""] for total in totals]
        story += [
            table(
                rows, [10 * mm, 70 * mm, 35 * mm, 53 * mm], totals=len(totals), row_height=13 * mm
            ),
            Spacer(1, 8 * mm),
            signature_lines([_("Paid by (name and signature):"), _("Date:")]),
        ]
        footer = text(_("Printed on %(date)s"), date=format_date(sheet.issued_on))
        return build_pdf(story, title=_("Acknowledgement sheet"), footer=footer)


def render_budget_summary(summary):
    from reportlab.lib.units import mm

    with translation.override(summary.language):
        story = [
            paragraph(_("Budget summary"), "title"),
            paragraph(summary.call_name),
            paragraph(conference_line(summary.conference)),
        ]
        if not summary.budgets_recorded:
            story.append(
                paragraph(
                    _(
                        "Award budgets are not recorded yet: amounts are unknown and shown "
                        "as a dash, not as zero."
                    )
                )
            )
        story += [paragraph(note) for note in summary.notes]
        header = [
            paragraph(_("Reference"), "cell"),
            paragraph(_("Region"), "cell"),
            paragraph(_("Budgeted"), "number"),
            paragraph(_("Paid"), "number"),
        ]
        rows = [header]
        for row in summary.rows:
            rows.append(
                [
                    paragraph(row.reference, "cell"),
                    paragraph(row.region, "cell"),
                    paragraph(format_amount(row.budgeted), "number"),
                    paragraph(format_amount(row.paid), "number"),
                ]
            )
        budgeted = {a.currency: a for a in totals_by_currency(r.budgeted for r in summary.rows)}
        paid = {a.currency: a for a in totals_by_currency(r.paid for r in summary.rows)}
        currencies = sorted(budgeted.keys() | paid.keys())
        for currency in currencies:
            rows.append(
                [
                    paragraph(text(_("Total in %(currency)s"), currency=currency), "cell"),
                    "",
                    paragraph(format_amount(budgeted.get(currency)), "number"),
                    paragraph(format_amount(paid.get(currency)), "number"),
                ]
            )
        story.append(table(rows, [35 * mm, 55 * mm, 38 * mm, 38 * mm], totals=len(currencies)))
        footer = text(_("Printed on %(date)s"), date=format_date(summary.issued_on))
        return build_pdf(story, title=_("Budget summary"), footer=footer)
