"""Reading the agreements' audit trail (Wagtail's log) and the library's listing in tests."""

import html
import re

from wagtail.models import ModelLogEntry


def log_of(agreement) -> list[ModelLogEntry]:
    """The agreement's log entries, oldest first."""
    return list(ModelLogEntry.objects.for_instance(agreement).order_by("timestamp", "pk"))


def actions_of(agreement) -> list[str]:
    return [entry.action for entry in log_of(agreement)]


def listed_titles(response) -> list[str]:
    """The agreement titles the library page shows, in order (read from the page, which
    may have come from the shared cache: `network.library.fragments`)."""
    cards = re.findall(
        r'<li class="agreement-card">\s*<h3><a href="[^"]*">([^<]*)</a>',
        response.content.decode(),
    )
    return [html.unescape(title) for title in cards]
