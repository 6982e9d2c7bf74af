"""Travel dates, which a higher app (payments, once awards are budgeted) knows.

This app cannot import that one, so it offers a registry: the owner of travel dates
registers a function `provider(conference, user_ids) -> {user id: (arrival, departure)}`
(dates at the venue). Until one is registered, travel dates are unknown.
"""

_providers = []


def register_travel_dates(provider):
    _providers.append(provider)


def unregister_travel_dates(provider):
    _providers.remove(provider)


def travel_dates_for(conference, user_ids):
    """{user id: (arrival date, departure date)} for those whose dates are known, or
    None when no app provides travel dates at all."""
    if not _providers:
        return None
    dates = {}
    for provider in _providers:
        dates.update(provider(conference, user_ids))
    return dates
