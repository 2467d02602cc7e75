from django import template
from django.core.paginator import Paginator
from django.urls import reverse

from ..models import MeetingPage

register = template.Library()

# Page sizes of the network page's two lists, each paged by its own parameter.
UPCOMING_PER_PAGE = 10
ARCHIVE_PER_PAGE = 20
UPCOMING_PARAM = "kommende"
ARCHIVE_PARAM = "arkiv"


@register.inclusion_tag("meetings/includes/meeting_list.html", takes_context=True)
def network_meetings(context, network):
    """The network page's meetings: upcoming first, then the archive, each a page at a
    time. Four queries (a count and a page per list), however many meetings there are."""
    request = context.get("request")
    params = request.GET if request is not None else {}
    meetings = MeetingPage.objects.for_listing().descendant_of(network)
    feed_path = reverse("meetings:network_feed", args=[network.pk])
    feed_url = request.build_absolute_uri(feed_path) if request else feed_path
    return {
        "request": request,
        "upcoming": Paginator(meetings.upcoming(), UPCOMING_PER_PAGE).get_page(
            params.get(UPCOMING_PARAM)
        ),
        "past": Paginator(meetings.past(), ARCHIVE_PER_PAGE).get_page(params.get(ARCHIVE_PARAM)),
        "archive_open": ARCHIVE_PARAM in params,
        "upcoming_param": UPCOMING_PARAM,
        "archive_param": ARCHIVE_PARAM,
        "feed_url": feed_path,
        "webcal_url": feed_url.replace("https://", "webcal://", 1).replace(
            "http://", "webcal://", 1
        ),
    }
