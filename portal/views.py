import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Page

from . import gdpr, tree_cache
from . import hooks as portal_hooks
from .forms import DeleteAccountForm, ProfileForm
from .search import clean_query

SEARCH_PER_PAGE = 10


@login_required
def my_page(request):
    """ "Min side": the person's profile; later sections come from the apps."""
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile has been saved."))
            return redirect("my_page")
    else:
        form = ProfileForm(instance=request.user)
    return render_my_page(request, form)


def render_my_page(request, form=None, *, section_forms=(), status=200):
    """ "Min side" with the profile form, and a section's form sent with errors (the
    section shows it bound, from `request`; its errors join the page's error summary)."""
    form = form or ProfileForm(instance=request.user)
    sections = [
        html
        for section in portal_hooks.get(portal_hooks.MY_PAGE_SECTIONS)
        if (html := section(request))
    ]
    context = {"form": form, "section_forms": list(section_forms), "my_page_sections": sections}
    return render(request, "portal/my_page.html", context, status=status)


@login_required
@require_GET
def my_data(request):
    """ "Hent mine data": everything held about the person, readable, with the JSON
    download next to it. Every view is logged as a data export."""
    data = gdpr.collect(request.user)
    gdpr.record_export(request.user, file_format="html")
    return render(request, "portal/my_data.html", {"data": data})


@login_required
@require_GET
def my_data_json(request):
    data = gdpr.collect(request.user)
    gdpr.record_export(request.user, file_format="json")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mine-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """ "Slet min konto": what happens, then the password (and MFA code), then the
    deletion. The person is logged out and sent to the front page."""
    person = request.user
    if person.is_superuser:
        messages.error(request, _("An administrator's account cannot be deleted here."))
        return redirect("my_page")
    form = DeleteAccountForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        gdpr.delete_account(person, by=person)
        logout(request)
        messages.success(request, _("Your account and your personal data have been deleted."))
        return redirect("/")
    return render(
        request,
        "portal/delete_account.html",
        {"form": form, "sole_contact_memberships": gdpr.sole_contact_memberships(person)},
    )


@require_GET
def search(request):
    query = clean_query(request.GET.get("q", ""))
    if not any(ch.isalnum() for ch in query):  # only quotes/punctuation: nothing to look for
        query = ""
    # Something was typed, but nothing searchable was left: say so instead of a bare form.
    empty_query = "q" in request.GET and not query
    return render(
        request,
        "portal/search.html",
        {
            "query": query,
            "empty_query": empty_query,
            "results": mark_safe(search_results(request, query)) if query else "",  # noqa: S308 (our own rendered template)
        },
    )


def search_results(request, query: str) -> str:
    """The search page's results (the apps' sections, then the pages), kept in the
    shared cache: ranking the matches is the page's cost, and grows with the data.

    Kept under everything the results depend on: the query string (query and page), the
    language and host, what the visitor may see (each `SEARCH_CACHE_PARTS` hook's access
    class), and the versions whose renewal makes them obsolete (the page tree's, renewed
    on every page change, and each hook's own: the library's on every agreement change).
    Nothing in them depends on the visitor beyond that: no form token, no name."""
    access = []
    version_keys = [tree_cache.VERSION_KEY]
    for part in portal_hooks.get(portal_hooks.SEARCH_CACHE_PARTS):
        name, keys = part(request)
        access.append(name)
        version_keys.extend(keys)
    digest = hashlib.sha256(
        "\n".join(
            [get_language() or "", request.get_host(), request.GET.urlencode(), *access]
        ).encode()
    ).hexdigest()
    return tree_cache.cached(
        f"portal:search:{digest}",
        lambda: _render_search_results(request, query),
        version_key=tuple(version_keys),
    )


def _render_search_results(request, query: str) -> str:
    # Only live pages the public may see: private pages never leak their titles.
    pages = Page.objects.live().public()
    for narrow in portal_hooks.get(portal_hooks.SEARCH_PAGE_FILTERS):
        pages = narrow(request, pages)
    # Plain pages (title, description, URL are all the results list shows): one query
    # for a page of results, whatever mix of page types it holds (`.specific()`
    # would add one per type).
    results = pages.search(query)
    page_obj = Paginator(results, SEARCH_PER_PAGE).get_page(request.GET.get("page"))
    sections = [
        html
        for section in portal_hooks.get(portal_hooks.SEARCH_SECTIONS)
        if (html := section(request, query))
    ]
    return render_to_string(
        "portal/search_results.html",
        {"query": query, "page_obj": page_obj, "search_sections": sections},
        request=request,
    )


@require_GET
def healthz(request):
    """For load balancers and `scripts/stack`: 200 "ok" when the database and the cache
    answer, else 503 naming what failed. Never cached."""
    failed = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database error means "not healthy"
        failed.append("database")
    try:
        cache.set("healthz", "1", 10)
        if cache.get("healthz") != "1":
            failed.append("cache")
    except Exception:  # the Redis client raises its own connection errors
        failed.append("cache")
    response = HttpResponse(
        "ok\n" if not failed else f"unavailable: {', '.join(failed)}\n",
        status=503 if failed else 200,
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def robots_txt(request):
    lines = ["User-agent: *"]
    if settings.DEBUG:
        lines.append("Disallow: /")
    else:
        lines += ["Disallow: /admin/", "Disallow: /konto/", "Disallow: /min-side/"]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@csrf_exempt
def set_language(request):
    """The footer's language switcher: Django's `set_language`, without the CSRF check.

    The switcher is on every page, and public pages are kept by nginx for all anonymous
    visitors alike (portal.middleware.PublicPageCacheMiddleware): a CSRF token in them
    would be one visitor's, refused for everyone else, and using one makes a page
    uncacheable. All a forged post can do here is set the visitor's display language
    (the cookie); `next` is still checked to stay on this site.
    """
    return i18n.set_language(request)
