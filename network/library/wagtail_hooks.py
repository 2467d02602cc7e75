from wagtail import hooks

from portal import hooks as portal_hooks

from . import audit_actions  # noqa: F401  (declares the audit actions)
from .admin_views import agreement_viewset, agreements_waiting_panel


@hooks.register("register_admin_viewset")
def register_agreement_viewset():
    return agreement_viewset


@hooks.register("construct_homepage_panels")
def agreements_waiting(request, panels):
    panel = agreements_waiting_panel(request.user)
    if panel is not None:
        panels.append(panel)


@hooks.register(portal_hooks.MY_PAGE_SECTIONS)
def my_agreements_section(request):
    from .views import my_page_section

    return my_page_section(request)


@hooks.register(portal_hooks.SEARCH_PAGE_FILTERS)
def hide_member_only_material(request, pages):
    from .models.resources import Audience, can_read_audience, member_only_resource_ids

    if can_read_audience(request.user, Audience.MEMBERS):
        return pages
    return pages.exclude(id__in=member_only_resource_ids())


@hooks.register(portal_hooks.SEARCH_SECTIONS)
def agreements_in_search(request, query):
    from .views import search_section

    return search_section(request, query)


@hooks.register(portal_hooks.SEARCH_CACHE_PARTS)
def search_access(request):
    """What the two hooks above show depends on: the agreements' visibility class and
    whether member-only material is readable (editors read it too); the library's data."""
    from . import fragments
    from .models.resources import Audience, can_read_audience
    from .views import visitor_class

    material = "all" if can_read_audience(request.user, Audience.MEMBERS) else "public"
    return f"library:{visitor_class(request)}:{material}", (fragments.VERSION_KEY,)


@hooks.register(portal_hooks.DEMO_CONTENT)
def load_demo_content():
    from .demo import load

    load()


@hooks.register(portal_hooks.DEMO_ACCOUNTS)
def demo_accounts():
    from .demo import DEMO_ACCOUNTS

    return DEMO_ACCOUNTS
