from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Page

from . import hooks as portal_hooks
from .forms import ProfileForm
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
    sections = [
        html
        for section in portal_hooks.get(portal_hooks.MY_PAGE_SECTIONS)
        if (html := section(request))
    ]
    return render(request, "portal/my_page.html", {"form": form, "my_page_sections": sections})


@require_GET
def search(request):
    query = clean_query(request.GET.get("q", ""))
    if not any(ch.isalnum() for ch in query):  # only quotes/punctuation: nothing to look for
        query = ""
    # Something was typed, but nothing searchable was left: say so instead of a bare form.
    empty_query = "q" in request.GET and not query
    page_obj = None
    sections = []
    if query:
        # Only live pages the public may see: private pages never leak their titles.
        pages = Page.objects.live().public()
        for narrow in portal_hooks.get(portal_hooks.SEARCH_PAGE_FILTERS):
            pages = narrow(request, pages)
        results = pages.specific().search(query)
        page_obj = Paginator(results, SEARCH_PER_PAGE).get_page(request.GET.get("page"))
        sections = [
            html
            for section in portal_hooks.get(portal_hooks.SEARCH_SECTIONS)
            if (html := section(request, query))
        ]
    return render(
        request,
        "portal/search.html",
        {
            "query": query,
            "empty_query": empty_query,
            "page_obj": page_obj,
            "search_sections": sections,
        },
    )


@require_GET
def robots_txt(request):
    lines = ["User-agent: *"]
    if settings.DEBUG:
        lines.append("Disallow: /")
    else:
        lines += ["Disallow: /admin/", "Disallow: /konto/", "Disallow: /min-side/"]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
