"""The site's chrome: what the header, main menu and footer of every page show.

Built from the site settings and the page tree (six queries: the settings, the menu
and its privacy check, the footer's chosen pages, the privacy page and the
accessibility statement; two more for the logo and its rendition when one is chosen)
and kept in the
shared cache (`portal.tree_cache`), so a page costs one cache read for it instead.
It is obsolete as soon as something it shows can change (a page saved, moved or
deleted, a page's privacy, the site settings): editors see their change on the next
request; nginx's copy of an anonymous page follows within PUBLIC_PAGE_CACHE_SECONDS.

Only plain data is kept (names, addresses, links), never rendered HTML: the templates
still render it per request, in the visitor's language, with the current menu item
marked.
"""

from dataclasses import dataclass

from wagtail.models import Site

from . import tree_cache


@dataclass(frozen=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True)
class MenuItem:
    path: str  # the page's tree path, to mark the current section
    url: str
    title: str


@dataclass(frozen=True)
class SiteChrome:
    organisation_name: str
    logo_url: str  # a rendition at most 96 px tall (shown at 48), or ""
    logo_width: int
    logo_height: int
    address: str
    email: str
    phone: str
    header_cta: tuple[Link, ...]
    footer_links: tuple[Link, ...]
    privacy_url: str
    accessibility_url: str
    menu: tuple[MenuItem, ...]


def site_chrome(request) -> SiteChrome | None:
    """The chrome of the request's site (None outside any site), once per request."""
    if request is None:
        return None
    if not hasattr(request, "_portal_chrome"):
        site = Site.find_for_request(request)
        request._portal_chrome = (
            tree_cache.cached(f"portal:chrome:{site.pk}", lambda: build(site, request))
            if site is not None
            else None
        )
    return request._portal_chrome


def build(site: Site, request) -> SiteChrome:
    from .models import SiteSettings

    settings = SiteSettings.for_site(site)
    privacy = settings.privacy_page
    accessibility = settings.accessibility_page
    menu = site.root_page.get_children().live().public().in_menu()
    logo = settings.logo.get_rendition("height-96") if settings.logo_id else None
    return SiteChrome(
        organisation_name=settings.organisation_name,
        logo_url=logo.url if logo else "",
        logo_width=round(logo.width / 2) if logo else 0,
        logo_height=round(logo.height / 2) if logo else 0,
        address=settings.address,
        email=settings.email,
        phone=settings.phone,
        header_cta=_links(settings.header_cta),
        footer_links=_links(settings.footer_links),
        privacy_url=(privacy.get_url(request) or "")
        if privacy is not None and privacy.live
        else "",
        accessibility_url=(accessibility.get_url(request) or "")
        if accessibility is not None and accessibility.live
        else "",
        menu=tuple(MenuItem(item.path, item.get_url(request) or "", item.title) for item in menu),
    )


def _links(stream) -> tuple[Link, ...]:
    return tuple(Link(block.value.href, block.value.text) for block in stream)
