from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin import widgets as wagtailadmin_widgets
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

import portal.converters  # noqa: F401  (registers <id:...>)
from network.hooks import NEXT_TRIAL_MEETING
from portal import hooks as portal_hooks

# audit_actions declares the actions; admin_notices and evaluation_admin register their
# own hooks.
from . import admin_notices, admin_views, audit_actions, evaluation_admin, services  # noqa: F401
from .access import can_manage_registrations, can_view_registrations
from .models import MeetingPage, Registration, Venue

HOME_MEETINGS = 3


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    list_display = ["name", "address", "postcode", "city"]
    search_fields = ["name", "city"]


register_snippet(VenueViewSet)

for bulk_action in admin_views.BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("register_admin_viewset")
def register_registration_viewset():
    return admin_views.RegistrationViewSet()


@hooks.register("register_admin_urls")
def register_admin_urls():
    # The row actions and the check-in at the door are views of RegistrationViewSet.
    urls = [
        path("<id:meeting_pk>/participants/", admin_views.participants, name="participants"),
    ]
    return [path("meetings/", include((urls, "meetings_admin"), namespace="meetings_admin"))]


@hooks.register("register_page_listing_buttons")
def registrations_button(page, user, next_url=None):
    if isinstance(page.specific_deferred, MeetingPage) and can_view_registrations(user):
        yield wagtailadmin_widgets.ListingButton(
            _("Registrations"),
            reverse("meeting_registrations:index") + f"?meeting={page.pk}",
            priority=60,
            icon_name="group",
        )
        if can_manage_registrations(user):
            yield wagtailadmin_widgets.ListingButton(
                _("Check-in"),
                reverse("meeting_registrations:check_in", args=[page.pk]),
                priority=61,
                icon_name="check",
            )


@hooks.register("after_publish_page")
def fill_seats_after_publishing(request, page):
    """An editor who raises the capacity (or the seats per organisation or trial places)
    and publishes gives the freed seats to the waitlist straight away."""
    if isinstance(page.specific_deferred, MeetingPage):
        promoted = services.fill_from_waitlist(meeting=page.specific)
        offered = [r for r in promoted if r.is_offered]
        confirmed = [r for r in promoted if not r.is_offered]
        if confirmed:
            messages.success(
                request,
                ngettext(
                    "%(count)d person moved from the waitlist to a confirmed seat.",
                    "%(count)d people moved from the waitlist to a confirmed seat.",
                    len(confirmed),
                )
                % {"count": len(confirmed)},
            )
        if offered:
            messages.success(
                request,
                ngettext(
                    "%(count)d person on the waitlist has been offered a seat.",
                    "%(count)d people on the waitlist have been offered a seat.",
                    len(offered),
                )
                % {"count": len(offered)},
            )


@hooks.register(portal_hooks.HOME_CONTEXT)
def home_meetings(request, page):
    return {
        "upcoming_meetings": list(
            MeetingPage.objects.for_listing()
            .exclude(status=MeetingPage.Status.CANCELLED)
            .upcoming()[:HOME_MEETINGS]
        )
    }


# Min side's lists of registrations: (page parameter, page size).
MY_PAGE_LISTS = {
    "upcoming": ("kommende", 10),
    "colleagues": ("kolleger", 10),
    "past": ("tidligere", 10),
}


@hooks.register(portal_hooks.MY_PAGE_SECTIONS)
def my_registrations(request):
    """Min side's meetings: each list a page at a time (`MY_PAGE_LISTS`), newest first.

    Kept for the person, per language, address and query string, in the tree cache: made
    obsolete by any page change and by `services.REGISTRATIONS_VERSION` (renewed when any
    registration or person is saved or deleted, `meetings.apps`), and rebuilt once the
    first of the person's upcoming meetings has ended (it moves to the past)."""
    import hashlib

    from django.utils import timezone
    from django.utils.translation import get_language

    from portal import tree_cache

    digest = hashlib.sha256(
        "\n".join([get_language() or "", request.get_host(), request.GET.urlencode()]).encode()
    ).hexdigest()[:32]
    kept = tree_cache.cached(
        f"meetings:my-page:{request.user.pk}:{digest}",
        lambda: _my_registrations(request),
        version_key=(tree_cache.VERSION_KEY, services.REGISTRATIONS_VERSION),
        fresh=lambda kept: kept["until"] is None or timezone.now() < kept["until"],
    )
    return kept["html"] or None


def _my_registrations(request) -> dict:
    from django.db.models import Min
    from django.utils import timezone

    now = timezone.now()
    lists = services.person_registrations(person=request.user, now=now)
    counts = services.list_counts(
        person=request.user, lists=lists
    )  # one query for the three paginators' counts
    context = {}
    for name, (param, per_page) in MY_PAGE_LISTS.items():
        paginator = Paginator(lists[name], per_page)
        paginator.count = counts[name]
        context[name] = paginator.get_page(request.GET.get(param))
    # Until when the lists stay as they are: the end of the first upcoming meeting.
    until = (
        Registration.objects.filter(Q(person=request.user) | Q(registered_by=request.user))
        .filter(meeting__end__gte=now)
        .aggregate(until=Min("meeting__end"))["until"]
    )
    if not any(page.object_list for page in context.values()):
        return {"html": "", "until": until}
    context["params"] = {name: param for name, (param, _size) in MY_PAGE_LISTS.items()}
    html = render_to_string("meetings/my_page_section.html", context, request=request)
    return {"html": html, "until": until}


@hooks.register(portal_hooks.DEMO_CONTENT)
def load_demo():
    from . import demo

    demo.load()


@hooks.register(NEXT_TRIAL_MEETING)
def next_trial_meeting(network, on):
    """The network's next planned meeting from `on` whose trial places are not all taken."""
    return (
        MeetingPage.objects.live()
        .public()
        .descendant_of(network)
        .filter(
            status=MeetingPage.Status.PLANNED,
            start__date__gte=on,
            trial_places__gt=0,
        )
        .exclude(audience=MeetingPage.Audience.MEMBERS)
        .annotate(
            trial_taken=Count(
                "registrations",
                filter=Q(
                    registrations__kind=Registration.Kind.TRIAL,
                    registrations__status__in=Registration.SEAT_STATUSES,
                ),
            )
        )
        .filter(trial_taken__lt=F("trial_places"))
        .order_by("start")
        .first()
    )


@hooks.register("construct_homepage_panels")
def waitlists_panel(request, panels):
    """The waitlists of upcoming meetings, for whom may move people from them."""
    panel = admin_views.meeting_waitlists_panel(request.user)
    if panel is not None:
        panels.append(panel)
