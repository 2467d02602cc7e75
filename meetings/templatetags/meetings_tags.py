import hashlib

from django import template
from django.core.paginator import Paginator
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal import tree_cache

from ..models import MeetingPage

register = template.Library()

# Page sizes of the network page's two lists, each paged by its own parameter.
UPCOMING_PER_PAGE = 10
ARCHIVE_PER_PAGE = 20
UPCOMING_PARAM = "kommende"
ARCHIVE_PARAM = "arkiv"


@register.simple_tag(takes_context=True)
def network_meetings(context, network):
    """The network page's meetings: upcoming first, then the archive, each a page at a
    time. Five queries (a count and a page per list, when the next one ends), however
    many meetings there are, and kept rendered in the shared cache (`portal.tree_cache`)
    until a page or venue changes or the first upcoming meeting ends, per network,
    language, address and query string. It shows the same to everyone."""
    request = context.get("request")
    params = request.GET if request is not None else {}
    key = "|".join(
        [
            str(network.pk),
            get_language() or "",
            request.build_absolute_uri("/") if request is not None else "",
            params.urlencode() if request is not None else "",
        ]
    )
    key = f"meetings:network-list:{hashlib.sha256(key.encode()).hexdigest()}"
    html, _until = tree_cache.cached(
        key,
        lambda: _render_meetings(context, network, request, params),
        fresh=lambda value: value[1] is None or timezone.now() < value[1],
    )
    return mark_safe(html)  # noqa: S308 (rendered by the template engine, escaped there)


def _render_meetings(context, network, request, params) -> tuple[str, object]:
    """The list's HTML and when it goes out of date by itself (the end of the first
    upcoming meeting to end: it moves to the archive then)."""
    meetings = MeetingPage.objects.for_listing().descendant_of(network)
    now = timezone.now()
    data = _meetings_context(request, params, network, meetings, now)
    until = meetings.upcoming(now).aggregate(until=Min("end"))["until"]
    template_ = context.template.engine.get_template("meetings/includes/meeting_list.html")
    return template_.render(context.new(data)), until


def _meetings_context(request, params, network, meetings, now) -> dict:
    feed_path = reverse("meetings:network_feed", args=[network.pk])
    feed_url = request.build_absolute_uri(feed_path) if request else feed_path
    return {
        "request": request,
        "upcoming": Paginator(meetings.upcoming(now), UPCOMING_PER_PAGE).get_page(
            params.get(UPCOMING_PARAM)
        ),
        "past": Paginator(meetings.past(now), ARCHIVE_PER_PAGE).get_page(params.get(ARCHIVE_PARAM)),
        "archive_open": ARCHIVE_PARAM in params,
        "upcoming_param": UPCOMING_PARAM,
        "archive_param": ARCHIVE_PARAM,
        "feed_url": feed_path,
        "webcal_url": feed_url.replace("https://", "webcal://", 1).replace(
            "http://", "webcal://", 1
        ),
    }
