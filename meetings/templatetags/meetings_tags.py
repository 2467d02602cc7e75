from django import template
from django.urls import reverse

from ..models import MeetingPage

register = template.Library()

ARCHIVE_SIZE = 50


@register.inclusion_tag("meetings/includes/meeting_list.html", takes_context=True)
def network_meetings(context, network):
    """The network page's meetings: upcoming first, then the archive. Two queries, however
    many meetings there are."""
    request = context.get("request")
    meetings = MeetingPage.objects.for_listing().descendant_of(network)
    feed_path = reverse("meetings:network_feed", args=[network.pk])
    feed_url = request.build_absolute_uri(feed_path) if request else feed_path
    return {
        "request": request,
        "upcoming": list(meetings.upcoming()),
        "past": list(meetings.past()[:ARCHIVE_SIZE]),
        "feed_url": feed_path,
        "webcal_url": feed_url.replace("https://", "webcal://", 1).replace(
            "http://", "webcal://", 1
        ),
    }
