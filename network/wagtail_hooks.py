from django.template.loader import render_to_string
from django.urls import path, re_path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

import portal.converters  # noqa: F401  (registers <id:...>)
from portal import hooks as portal_hooks
from portal import tree_cache

from . import admin_views, audit_actions, demo, services  # noqa: F401 (audit_actions declares)
from .forms import JoinOrganisationForm
from .models import Affiliation, Membership, NetworkPage, Organisation, local_date

register_snippet(admin_views.NetworkAdminGroup)

for action in admin_views.BULK_ACTIONS:
    hooks.register("register_bulk_action", action)

# The rows' "Approve" buttons: added by the listings' own view (ApproveButtonIndexView).


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "network/tilknytning/<id:pk>/aendr/",
            admin_views.change_affiliation,
            name="network_affiliation_change",
        ),
        path(
            "network/medlemsaar/",
            admin_views.rollover_report,
            name="network_rollover_report",
        ),
        path(
            "network/medlemskab/<id:pk>/e-faktura/",
            admin_views.membership_invoice,
            name="network_membership_invoice",
        ),
        re_path(
            r"^network/e-fakturaer/(?P<year>[12][0-9]{3})/$",
            admin_views.invoices_year,
            name="network_invoices_year",
        ),
    ]


@hooks.register("construct_homepage_panels")
def waiting_panels(request, panels):
    """What waits for staff; each panel only for whom may act on it."""
    panel = admin_views.network_waiting_panel(request.user)
    if panel is not None:
        panels.append(panel)


@hooks.register(portal_hooks.HOME_CONTEXT)
def home_networks(request, page):
    # The same for everyone until a page changes: kept in the tree cache.
    networks = tree_cache.cached(
        "network:home:networks",
        lambda: list(NetworkPage.objects.live().public().order_by("title")),
    )
    return {"networks": networks}


@hooks.register(portal_hooks.MY_PAGE_SECTIONS)
def my_organisations_section(request):
    person = request.user
    today = local_date()
    year = today.year
    verified = Organisation.objects.verified_for(person)
    context = {
        "year": year,
        "suggestions": list(services.suggested_organisations(person).order_by("name")),
        "affiliations": list(
            Affiliation.objects.filter(person=person)
            .select_related("organisation")
            .order_by("organisation__name")
        ),
        "to_decide": list(
            Affiliation.objects.requested()
            .approvable_by(person)
            .exclude(person=person)
            .select_related("person", "organisation")
            .order_by("created_at")[:50]
        ),
        "has_verified": verified.exists(),
        "memberships": list(
            Membership.objects.filter(organisation__in=verified, year__gte=year)
            .select_related("organisation", "network")
            .order_by("year", "network__title", "organisation__name")
        ),
        # `network.views.join` puts the form sent with errors on the request.
        "join_form": getattr(request, "join_form", None) or JoinOrganisationForm(person=person),
        "grace_memberships": list(
            Membership.objects.in_grace_on(today)
            .filter(organisation__in=verified)
            .select_related("organisation", "network")
            .order_by("network__title", "organisation__name")
        ),
    }
    # Renewal for the coming year is open (the network's invitation date has come) and the
    # organisation has not answered yet.
    rows = {(m.organisation_id, m.network_id, m.year) for m in context["memberships"]}
    context["renewals_open"] = [
        m
        for m in context["memberships"]
        if m.year == year
        and m.status == Membership.Status.ACTIVE
        and m.network.renewal_year_on(today) == year + 1
        and (m.organisation_id, m.network_id, year + 1) not in rows
    ]
    return render_to_string("network/my_page_section.html", context, request=request)


@hooks.register(portal_hooks.DEMO_CONTENT)
def load_demo():
    demo.load()


@hooks.register(portal_hooks.DEMO_ACCOUNTS)
def demo_accounts():
    return demo.DEMO_ACCOUNTS
