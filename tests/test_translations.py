from tests.catalogues import problems


def test_every_catalogue_entry_is_translated_and_none_is_fuzzy():
    assert problems() == []
