"""Logging filter that keeps query strings (OAuth parameters, tokens, expense notes) out of every log line."""

import logging
import re

# A URL path (absolute or origin-form) followed by its query string: the query is dropped, the path kept.
_QUERY = re.compile(r"(?P<path>/[^\s?#\"'<>]*)\?[^\s\"'<>]*")


def strip_query_strings(text: str) -> str:
    """`GET /api/simple/?q=lunch&password=x HTTP/1.1` -> `GET /api/simple/ HTTP/1.1`."""
    return _QUERY.sub(r"\g<path>", text)


class QueryStringFilter(logging.Filter):
    """Rewrite each record's message without query strings (Django's loggers, runserver's, gunicorn's error log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = strip_query_strings(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
