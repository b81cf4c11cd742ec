"""Object ids from URLs, query strings and forms."""

MAX_ID = 2**63 - 1  # the largest value a BigAutoField holds; bigger "ids" would overflow the database


MAX_DIGITS = 19  # every number the application counts with fits; int() refuses text beyond 4,300 digits


def is_ascii_digits(value, max_digits: int = MAX_DIGITS) -> bool:
    """`value` written in at most `max_digits` ASCII digits: `str.isdigit()` also accepts '²' or '①', which
    `int()` refuses."""
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= max_digits


def parse_id(value) -> int | None:
    """The id written in `value` (ASCII digits only, within the database range), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = str(value if value is not None else "").strip()
    if not is_ascii_digits(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
