"""`{% evaluation_summary page %}`: the published evaluation summary on a meeting page.

No query for a meeting that has not ended; one for one that has. The page is not kept
in the tree cache, so a summary published or taken down shows on the next request
(and to anonymous visitors behind nginx within `PUBLIC_PAGE_CACHE_SECONDS`)."""

from django import template

from meetings.evaluation import published_summary

register = template.Library()


@register.inclusion_tag("meetings/evaluation/summary_section.html")
def evaluation_summary(meeting):
    return {"summary": published_summary(meeting)}
