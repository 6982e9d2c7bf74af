import pytest
from django_countries import countries

from conferences.enums import Region
from conferences.models import CountryRegion
from conferences.queries import region_for_country

pytestmark = pytest.mark.django_db


def test_every_inhabited_country_belongs_to_one_region():
    mapped = set(CountryRegion.objects.values_list("country", flat=True))

    assert {country.code for country in countries} - mapped == {"AQ"}
    assert set(CountryRegion.objects.values_list("region", flat=True)) == set(Region.values)


@pytest.mark.parametrize(
    ("country", "region"),
    [
        ("SN", Region.AFRICA),
        ("EG", Region.AFRICA),
        ("TH", Region.ASIA_PACIFIC),
        ("FJ", Region.ASIA_PACIFIC),
        ("KG", Region.EUROPE),
        ("UA", Region.EUROPE),
        ("AR", Region.LATIN_AMERICA),
        ("MX", Region.LATIN_AMERICA),
        ("JM", Region.NORTH_AMERICA_CARIBBEAN),
        ("CA", Region.NORTH_AMERICA_CARIBBEAN),
        ("AQ", None),
    ],
)
def test_region_for_country(country, region):
    assert region_for_country(country) == region


def test_the_mapping_is_data_that_staff_can_change():
    CountryRegion.objects.filter(country="TR").update(region=Region.ASIA_PACIFIC)

    assert region_for_country("TR") == Region.ASIA_PACIFIC
