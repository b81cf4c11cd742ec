"""Text from users, made storable: every app cleans what it stores with these."""

import unicodedata


def clean_text(value) -> str:
    """Any text a user sends, minus what cannot be stored or rendered (NUL and other controls, lone
    surrogates); whitespace stays. PostgreSQL refuses NUL in text."""
    text = str(value if value is not None else "")
    return "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs"))


def caseless(text: str) -> str:
    """What two spellings that differ only in case share, in every script: Unicode case folding of the NFC
    form (`Été`, `ÉTÉ` and `été`; `Straße` and `STRASSE`). The databases' LOWER folds ASCII only (SQLite)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


def clean_line(value) -> str:
    """clean_text on one line: runs of whitespace become one space, none at the ends."""
    return " ".join(clean_text(value).split())
