"""Wagtail's database search backend, with every query string cleaned first.

The admin listings (Aftaler, the page explorer's search box) hand the typed text straight
to the backend; on SQLite an unbalanced double quote is an FTS5 syntax error and the
listing answered 500. `clean_query` is the same hygiene the site search and the agreement
library use, applied here once for every search and autocomplete.
"""

from wagtail.search.backends.database import SearchBackend as database_backend

from portal.search import clean_query


class CleanQueryMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if isinstance(query, str):
            query = clean_query(query)
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


def SearchBackend(params):  # Wagtail looks the backend up by this name
    backend = database_backend(params)
    cleaned = type(type(backend).__name__, (CleanQueryMixin, type(backend)), {})
    return cleaned(params)
