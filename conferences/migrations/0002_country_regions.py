"""Load which of the network's five regions each country belongs to.

A starting point that staff can edit in the admin: North Africa is with Africa,
the Caucasus, Central Asia and Türkiye with Europe, the Middle East with Asia and
the Pacific, and the whole Caribbean with North America.
"""

from django.db import migrations

REGIONS = {
    "africa": (
        "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS "
        "LR LY MG MW ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN "
        "UG EH ZM ZW TF"
    ),
    "asia_pacific": (
        "AF BD BT BN KH CN HK MO IN ID JP KP KR LA MY MV MN MM NP PK PH SG LK TW TH TL VN "
        "AE BH IQ IR IL JO KW LB OM PS QA SA SY YE "
        "AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV UM VU WF CX "
        "CC HM IO"
    ),
    "europe": (
        "AL AD AM AT AZ BY BE BA BG HR CY CZ DK EE FO FI FR DE GE GI GR GG HU IS IE IM IT "
        "JE KZ KG LV LI LT LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH TJ "
        "TR TM UA GB UZ VA AX"
    ),
    "latin_america": (
        "AR BO BR CL CO EC FK GF GY PY PE SR UY VE BZ CR SV GT HN MX NI PA GS BV"
    ),
    "north_america_caribbean": (
        "US CA BM GL PM AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC "
        "MF VC SX TT TC VI"
    ),
}


def load(apps, schema_editor):
    CountryRegion = apps.get_model("conferences", "CountryRegion")
    CountryRegion.objects.bulk_create(
        [
            CountryRegion(country=code, region=region)
            for region, codes in REGIONS.items()
            for code in codes.split()
        ],
        ignore_conflicts=True,
    )


def unload(apps, schema_editor):
    apps.get_model("conferences", "CountryRegion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("conferences", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
