"""`{% evaluation_summary page %}`: the published evaluation summary on a meeting page.

Part of the page's kept tail (`meetings/includes/meeting_tail.html`, kept in the tree
cache by `MeetingPage._kept_parts`): one query when the tail is built, none on a warm
page. `meetings.evaluation.publish_summary` and `unpublish_summary` make the kept parts
obsolete, so the change shows on the next request (and to anonymous visitors behind
nginx within `PUBLIC_PAGE_CACHE_SECONDS`)."""

from django import template

from meetings.evaluation import published_summary

register = template.Library()


@register.inclusion_tag("meetings/evaluation/summary_section.html")
def evaluation_summary(meeting):
    return {"summary": published_summary(meeting)}
