"""Wagtail's database search backend, with every query string cleaned first, and on
SQLite a search plan that stays fast with many rows.

The admin listings (Aftaler, the page explorer's search box) hand the typed text straight
to the backend; on SQLite an unbalanced double quote is an FTS5 syntax error and the
listing answered 500. `clean_query` is the same hygiene the site search and the agreement
library use, applied here once for every search and autocomplete.

SQLite (the embedded default): Wagtail's SQLite backend ranks by a correlated subquery
that runs the full-text query once per matching row, and SQLite's planner runs the
full-text match once per indexed row of the model; with 10,000 agreements a library
search took seconds. Here the full-text query runs once (a list subquery), the ranking
is one query over the matches that are in the searched queryset (visibility and filters
stay SQL), and only the requested slice is loaded. PostgreSQL is left as Wagtail has it
(its GIN indexes; see portal/migrations/0005_search_title_body_gin.py).
"""

from django.db.models import TextField
from django.db.models.functions import Cast
from wagtail.search.backends.database import SearchBackend as database_backend

from portal.search import clean_query


class CleanQueryMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if isinstance(query, str):
            query = clean_query(query)
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


def SearchBackend(params):  # Wagtail looks the backend up by this name
    backend = database_backend(params)
    attributes = {}
    if type(backend).__name__ == "SQLiteSearchBackend":
        attributes = _sqlite_classes(type(backend))
    cleaned = type(type(backend).__name__, (CleanQueryMixin, type(backend)), attributes)
    return cleaned(params)


def _sqlite_classes(backend_class) -> dict:
    from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
    from modelsearch.backends.database.sqlite.sqlite import IndexEntry, SQLiteFTSIndexEntry
    from modelsearch.query import MatchAll, Not
    from modelsearch.utils import get_descendants_content_types_pks

    class OneMatchCompilerMixin:
        def fast_plan(self, backend):
            """(match expression, content type ids), or None where Wagtail's own plan
            is kept (match-all and negated queries)."""
            query = normalize(self.query)
            if isinstance(query, (MatchAll, Not)):
                return None
            search_query = self.build_search_query(query, config=self.get_config(backend))
            if search_query is None:
                return None
            match = MatchExpression(self.fields or self.FTS_TABLE_FIELDS, search_query)
            return match, get_descendants_content_types_pks(self.queryset.model)

        def matches(self, match, content_types):
            """The index entries matching, the full-text query run once."""
            return SQLiteFTSIndexEntry.objects.filter(match).filter(
                index_entry__content_type_id__in=content_types,
                index_entry__object_id__in=self.queryset.order_by()
                .annotate(_search_pk=Cast("pk", TextField()))
                .values("_search_pk"),
            )

        def matching_queryset(self, match, content_types):
            object_ids = IndexEntry.objects.filter(
                pk__in=SQLiteFTSIndexEntry.objects.filter(match).values("pk"),
                content_type_id__in=content_types,
            ).values("object_id")
            return self.queryset.filter(pk__in=object_ids)

    compiler = backend_class.query_compiler_class
    autocomplete = backend_class.autocomplete_query_compiler_class
    Compiler = type(compiler.__name__, (OneMatchCompilerMixin, compiler), {})
    AutocompleteCompiler = type(autocomplete.__name__, (OneMatchCompilerMixin, autocomplete), {})

    class Results(backend_class.results_class):
        def _do_search(self):
            compiler = self.query_compiler
            plan = compiler.fast_plan(self.backend)
            if plan is None:
                return super()._do_search()
            match, content_types = plan
            if not compiler.order_by_relevance:
                queryset = compiler.matching_queryset(match, content_types)
                if not queryset.query.order_by:
                    queryset = queryset.order_by("-pk")
                return list(queryset[self.start : self.stop])
            rank = compiler._build_rank_expression(
                compiler.get_search_vectors(), compiler.get_config(self.backend)
            )
            ranked = list(
                compiler.matches(match, content_types)
                .annotate(score=rank)
                .order_by("score", "-index_entry__object_id")
                .values_list("index_entry__object_id", "score")[self.start : self.stop]
            )
            pk_field = compiler.queryset.model._meta.pk
            ids = [pk_field.to_python(object_id) for object_id, _score in ranked]
            by_id = compiler.queryset.in_bulk(ids)
            results = []
            for pk, (_object_id, score) in zip(ids, ranked, strict=True):
                if pk in by_id:
                    obj = by_id[pk]
                    if self._score_field:
                        setattr(obj, self._score_field, score)
                    results.append(obj)
            return results

        def _do_count(self):
            compiler = self.query_compiler
            plan = compiler.fast_plan(self.backend)
            if plan is None:
                return super()._do_count()
            return compiler.matching_queryset(*plan).count()

    return {
        "query_compiler_class": Compiler,
        "autocomplete_query_compiler_class": AutocompleteCompiler,
        "results_class": Results,
    }
