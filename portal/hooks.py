"""Extension points through which `network` and `meetings` add to site-wide pages.

They use Wagtail's hook registry (each app's `wagtail_hooks.py` is imported at start-up):

- `HOME_CONTEXT`: `fn(request, page) -> dict`, merged into the home page's context
  (e.g. `networks`, `upcoming_meetings`).
- `MY_PAGE_SECTIONS`: `fn(request) -> str | None`, rendered HTML sections on "Min side",
  in registration order.
- `DEMO_CONTENT`: `fn() -> None`, called by `manage.py load_demo` after the portal's own
  demo content; must be idempotent.
- `DEMO_ACCOUNTS`: `fn() -> list[dict]`, the app's demo logins (keys as in
  `portal.demo.DEMO_ACCOUNTS`; create them with `portal.demo.ensure_user`), so
  `load_demo --print-accounts` (and `make run`) lists every demo account.
- `SEARCH_PAGE_FILTERS`: `fn(request, pages) -> pages`, narrows the site search's page
  queryset for this viewer (e.g. member-only material for non-members); filter on
  indexed fields such as `id`.
- `SEARCH_SECTIONS`: `fn(request, query) -> str | None`, extra HTML result sections on
  the search page (e.g. agreements), each built with its own visibility rule.
- `SEARCH_CACHE_PARTS`: `fn(request) -> (access, version_keys)`, for an app whose
  `SEARCH_PAGE_FILTERS` or `SEARCH_SECTIONS` depend on the visitor or on data that is not
  pages: the visitor's access class (a short string, the same for everyone who may see
  the same) and the cache keys of the versions its data renews on change. The search
  page keeps its results under these (`portal.views.search_results`).
"""

from wagtail import hooks

HOME_CONTEXT = "portal_home_context"
MY_PAGE_SECTIONS = "portal_my_page_sections"
DEMO_CONTENT = "portal_demo_content"
DEMO_ACCOUNTS = "portal_demo_accounts"
SEARCH_PAGE_FILTERS = "portal_search_page_filters"
SEARCH_SECTIONS = "portal_search_sections"
SEARCH_CACHE_PARTS = "portal_search_cache_parts"


def get(name: str):
    return hooks.get_hooks(name)
