from django.contrib import admin
from i18nfield.admin import I18nModelAdmin

from .models import Conference, CountryRegion


@admin.register(Conference)
class ConferenceAdmin(I18nModelAdmin):
    list_display = ["acronym", "name", "kind", "city", "country", "start_date", "end_date"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "acronym", "city"]
    date_hierarchy = "start_date"


@admin.register(CountryRegion)
class CountryRegionAdmin(admin.ModelAdmin):
    list_display = ["country", "region"]
    list_editable = ["region"]
    list_filter = ["region"]
    search_fields = ["country"]
