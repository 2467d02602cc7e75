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


def answer_step(client, url: str, step: int, data: dict, navigate: str = "next"):
    """Post one step of the questionnaire as a person does: open the step's page, then
    press one of its buttons ("next", "back", "save"; "send" on the last step). Only
    the step's own fields are sent, as only they are on its page."""
    from network.library.forms import STEPS

    names = STEPS[step - 1].fields
    fields = {k: v for k, v in data.items() if k.split("-")[0] in names}  # "document-clear"
    return client.submit(
        url.split("?")[0],
        {**fields, "trin": str(step), "navigate": navigate},
        page=f"{url.split('?')[0]}?trin={step}",
    )


def answer_questionnaire(client, url: str, data: dict):
    """Steps 1-3 with "Next", then "Send answer" on the last step. Returns the first
    response that is not a redirect to the next step, or the send's response."""
    for step in (1, 2, 3):
        response = answer_step(client, url, step, data)
        if response.status_code != 302 or f"?trin={step + 1}" not in response["Location"]:
            return response
        url = response["Location"]
    return answer_step(client, url, 4, {}, navigate="send")
