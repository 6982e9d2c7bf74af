"""`make bench`: one-page award letters generated per second, in Latin, Cyrillic and
Chinese script (200 each, after one to load the font). Target: 50 or more per second.
Prints figures; asserts nothing.
"""

import datetime
import os
import time
from decimal import Decimal

COUNT = 200

SCRIPTS = {
    "Latin (en)": ("en", "Ana María Ndiaye"),
    "Cyrillic (ru)": ("ru", "Анна Сергеевна Иванова"),
    "Chinese (zh-hans)": ("zh-hans", "王小明"),
}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from payments import letters

    conference = letters.ConferenceDetails(
        name="International AIDS Conference",
        acronym="AIDS 2028",
        city="Cape Town",
        country="ZA",
        venue="Cape Town International Convention Centre",
        start_date=datetime.date(2028, 7, 23),
        end_date=datetime.date(2028, 7, 28),
    )
    covers = (
        letters.CoveredItem("Airfare", letters.Amount(Decimal("1234.50"), "USD")),
        letters.CoveredItem("Per diem", letters.Amount(Decimal("1710.00"), "ZAR")),
        letters.CoveredItem("Registration"),
    )

    def letter(language, name, number):
        return letters.AwardLetter(
            language=language,
            reference=f"{number:08X}",
            scholar_name=name,
            call_name="Travel scholarships 2028",
            conference=conference,
            full_award=True,
            covers=covers,
            issued_on=datetime.date(2028, 5, 2),
        )

    start = time.perf_counter()
    letters.render_award_letter(letter("en", "First", 0))
    print(f"letters: font loaded and first letter in {time.perf_counter() - start:.2f} s")
    for label, (language, name) in SCRIPTS.items():
        start = time.perf_counter()
        size = 0
        for number in range(COUNT):
            size += len(letters.render_award_letter(letter(language, name, number)))
        elapsed = time.perf_counter() - start
        print(
            f"letters: {COUNT} award letters, {label}: {COUNT / elapsed:.0f} per second "
            f"({elapsed * 1000 / COUNT:.1f} ms each, {size / COUNT / 1024:.0f} KiB each; "
            "target 50 per second)"
        )


if __name__ == "__main__":
    main()
