"""Which sections of the page tree are private: one list, kept in the shared cache.

Wagtail answers "is this page private?" and "leave out private pages" (`.public()`)
with a query for every view restriction each time: two queries per page view and one
more per listing. The list of restricted sections changes only when an editor
restricts a page, or moves or deletes one, so it is kept in the cache
(`portal.tree_cache`, made obsolete by any such change) and the same rule is applied
from it: a page is private when it is, or lies below, a page with a view restriction.

The portal's page models use it through `PortalPageQuerySet` (their `objects`) and
`PageMetadataMixin.get_view_restrictions`; Wagtail's own querysets (the admin) keep
asking the database.
"""

from dataclasses import dataclass

from django.db.models import Q
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from . import tree_cache


@dataclass(frozen=True)
class Restrictions:
    sections: tuple[tuple[str, int], ...]  # (path, depth) of each restricted page
    aliases_exist: bool  # an alias takes its source's restrictions: ask Wagtail then

    def covers(self, page) -> bool:
        """Whether `page` is, or lies below, a restricted page."""
        return any(page.path.startswith(path) for path, _depth in self.sections)


def restrictions() -> Restrictions:
    return tree_cache.cached("portal:restrictions", _build)


def _build() -> Restrictions:
    sections = PageViewRestriction.objects.values_list("page__path", "page__depth")
    return Restrictions(
        sections=tuple(sorted(set(sections))),
        aliases_exist=Page.objects.filter(alias_of__isnull=False).exists(),
    )


class PortalPageQuerySet(PageQuerySet):
    """Wagtail's page queryset; `.public()` and `.not_public()` take the restricted
    sections from the cache instead of a query each time."""

    def private_q(self):
        # The same condition as Wagtail's: in or below a page with a view restriction.
        q = Q()
        for path, depth in restrictions().sections:
            q |= Q(path__startswith=path) & Q(depth__gte=depth)
        return q if q else Q(pk__in=[])


PortalPageManager = PageManager.from_queryset(PortalPageQuerySet)


def is_public(page) -> bool:
    """Whether Wagtail's `.public()` keeps the saved `page` (it lies in no restricted
    section), from the cached list instead of two queries."""
    return page.pk is not None and not restrictions().covers(page)


def view_restrictions(page, ask_wagtail):
    """The view restrictions that apply to `page`: none, without a query, when it lies
    in no restricted section; else Wagtail's answer (`ask_wagtail()`)."""
    known = restrictions()
    if page.alias_of_id is None and not known.aliases_exist and not known.covers(page):
        return PageViewRestriction.objects.none()
    return ask_wagtail()
