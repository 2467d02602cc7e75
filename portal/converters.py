"""Ids in URLs, bounded to what the database can hold.

Django's `<int:...>` converter accepts any number of digits. A number beyond the
database's integer range then reaches the query, and SQLite raises OverflowError (a 500)
where a lookup through a relation (a page's `page_ptr`) is not caught by Django's own
range check. `<id:pk>` matches only ids the database can hold: a longer one is no match,
so the visitor gets the site's 404.

Importing this module registers the converter; every urls.py (and every routable page,
whose routes are compiled when the model class is defined) imports it first.
"""

from django.db import connection
from django.urls import register_converter


def id_range() -> tuple[int, int]:
    """The smallest and largest primary key the database can hold (a BigAutoField's)."""
    low, high = connection.ops.integer_field_range("BigAutoField")
    return (-(2**63) if low is None else low, 2**63 - 1 if high is None else high)


def largest_id() -> int:
    return id_range()[1]


def in_id_range(value) -> bool:
    """Is `value` a whole number the database can hold as a primary key?"""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return True  # not a number at all: the field's own validation says so
    low, high = id_range()
    return low <= number <= high


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > largest_id():
            raise ValueError("id beyond the database's range")  # no match: a 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
