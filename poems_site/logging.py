"""Keep patient references out of the logs.

A URL's query string can carry a patient reference: the list's search is `/?q=MRN-1234`, and
the admin's is `?q=` too. Django logs URLs in a few places: runserver's request lines
(`django.server`: `"GET /?q=MRN-1234 HTTP/1.1" 200 5120`), and anything else that names a full
URL. `DropQueryStrings` rewrites every record that reaches the console handler so that each URL
keeps its path (UUIDs are not patient data) and loses its query string: `/?[query removed]`.

The record's message and each of its string arguments are cleaned separately, so arguments
keep their types and positions and `%d`-style formatting still works.
"""

import logging
import re

REMOVED = "?[query removed]"

# A path (it starts with "/", possibly inside a full URL) followed by "?" and its query string,
# which ends at whitespace, a quote or the end of the text.
_QUERY = re.compile(r"(/[^\s?\"'<>]*)\?[^\s\"'<>]*")


def without_query_strings(text: str) -> str:
    """`text` with the query string of every URL or path in it replaced by `REMOVED`."""
    return _QUERY.sub(lambda match: match.group(1) + REMOVED, text)


def _cleaned(value):
    return without_query_strings(value) if isinstance(value, str) else value


class DropQueryStrings(logging.Filter):
    """A logging filter that drops query strings from a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _cleaned(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _cleaned(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_cleaned(value) for value in record.args)
        return True
