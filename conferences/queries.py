from .models import CountryRegion


def region_for_country(country_code):
    """The region of a country (an ISO code), or None when the mapping does not know it."""
    return (
        CountryRegion.objects.filter(country=country_code).values_list("region", flat=True).first()
    )
