"""Translation catalogues: what is missing, and English filled from the source.

python -m tests.catalogues check         # exit 1 listing untranslated or fuzzy entries
python -m tests.catalogues fill-english  # English is the source: msgstr = msgid
"""

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ["en", "fr", "es", "ru", "zh_Hans"]


def catalogue_paths():
    return [LOCALE_DIR / language / "LC_MESSAGES" / "django.po" for language in LANGUAGES]


def problems():
    """One line per missing catalogue, untranslated entry or fuzzy entry."""
    found = []
    for path in catalogue_paths():
        if not path.exists():
            found.append(f"{path}: missing")
            continue
        catalogue = polib.pofile(str(path))
        for entry in catalogue:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                found.append(f"{path}: fuzzy: {entry.msgid!r}")
            elif not entry.translated():
                found.append(f"{path}: untranslated: {entry.msgid!r}")
    return found


def fill_english():
    path = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path))
    catalogue.metadata.update(
        {
            "Project-Id-Version": "scholarship-portal 0.1.0",
            "Last-Translator": "The source text",
            "Language-Team": "English",
            "Language": "en",
            "PO-Revision-Date": catalogue.metadata.get("POT-Creation-Date", ""),
        }
    )
    catalogue.metadata_is_fuzzy = False
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.save()


def main(argv):
    command = argv[1] if len(argv) > 1 else "check"
    if command == "fill-english":
        fill_english()
        return 0
    found = problems()
    for line in found:
        print(line)
    print(f"{len(found)} catalogue problem(s).")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
