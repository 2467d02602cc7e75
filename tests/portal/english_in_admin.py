"""English seen in the Danish admin, kept as a list the admin tests search for.

Editors reported these (issue 8): Wagtail texts its Danish catalogue leaves English or
gets wrong, the portal's own labels, and aria labels. Add a phrase here when an editor
finds one; `visible_texts` reads what a person sees or hears (text, aria-label, title,
placeholder, alt, tooltips), not scripts or styles.

Words are matched whole and case-sensitively, so Danish words that merely contain them
("Hjælp", "Dinnerpause" is not Danish either way) do not count. Words that are also Danish
("Status", "Type", "Filter", "Live", "to", "by", "is") are never on the list.
"""

import json
import re
from html.parser import HTMLParser

ENGLISH = [
    # Menu and chrome
    "Images",
    "Snippets",
    "Reports",
    "Help",
    "Documents",
    "Settings",
    "Users",
    "Groups",
    "Dashboard",
    "Toggle sidebar",
    "Log out",
    "Account",
    "Editor Guide",
    "editor guide",
    "Site history",
    "What's new",
    # Dashboard
    "Pages",
    "created in",
    "Exploring",
    "CURRENT PAGE STATUS",
    "Current page status",
    "Your pages",
    "Your most recent edits",
    "Pages awaiting",
    # Users list
    "Access level",
    "Last login",
    "True",
    "False",
    "Admin",
    # Page editor
    "The page title as you'd like it",
    "Submit to",
    "Moderators approval",
    "Autosave is paused",
    "created and published",
    "Toggle preview",
    "Add comment",
    "Preview",
    "Publish",
    "Save draft",
    "Promote",
    "Content",
    "Privacy",
    "Choose",
    "Select",
    "Add",
    "Edit",
    "Delete",
    "Search",
    "Title",
    "Page",
    "Draft",
    "Comments",
    "History",
    "Loading",
    # Listings
    "There are",
    "There is",
    "matches",
    "match",
    "Page 1 of",
    "No results",
    "Sort by",
    # The portal's own
    "Dinner",
    # Plain English words no Danish admin text contains
    "The",
    "the",
    "Please",
    "should",
    "must",
    "which",
    "when",
    "successfully",
    "updated",
    "created",
    "deleted",
    "published",
    "and",
    "of",
    "with",
    "your",
    "you",
    "this",
    "has",
    "been",
    "are",
    "was",
    "were",
    "will",
    "yet",
    "Yes",
    "No",
    # Issue 8 polish (QA on `make run`)
    "Your version",
    "Updated comments notifications",
    "Submitted notifications",
    "Actions",
    "Draft saved",
    "Anyone with editing permissions",
    "But only those",
    "Show in menus",
    # Not "Save Selected": the date picker's (vendor jQuery plugin) button, hard-coded
    # English and always hidden (showApplyButton is off), yet in the DOM these tests read.
    # Wagtail's Danish catalogue gets these wrong
    "Side opsummering",
    "Søge term",
    "Promover",
]

_PATTERN = re.compile(
    "|".join(rf"(?<![\w'\u2019-]){re.escape(phrase)}(?![\w'\u2019-])" for phrase in ENGLISH)
)
ATTRIBUTES = {
    "aria-label",
    "aria-description",
    "title",
    "placeholder",
    "alt",
    "data-w-tooltip-content-value",
}
SKIPPED = {"script", "style", "textarea", "noscript", "svg"}


# The admin's menu and its JavaScript texts arrive as JSON and are drawn by the browser.
JSON_SCRIPTS = {"wagtail-sidebar-props", "wagtail-config"}
JSON_TEXT_KEYS = {"label", "footer_text", "SINGULAR", "PLURAL", "ALL", "ALL_IN_LISTING"}


def _json_texts(value) -> list[str]:
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in JSON_TEXT_KEYS and isinstance(item, str):
                found.append(item)
            else:
                found += _json_texts(item)
    elif isinstance(value, list):
        for item in value:
            found += _json_texts(item)
    return found


def json_urls(value) -> list[str]:
    """Every "url" in the admin's menu JSON (the sidebar is drawn from it)."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "url" and isinstance(item, str):
                found.append(item)
            else:
                found += json_urls(item)
    elif isinstance(value, list):
        for item in value:
            found += json_urls(item)
    return found


class _Texts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.menu: list = []
        self._skip: list[str] = []
        self._json: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("id") in JSON_SCRIPTS:
            self._json = ""
        if tag in SKIPPED:
            self._skip.append(tag)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            value = dict(attrs).get("value")
            if value:
                self.texts.append(value)
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag == "script" and self._json is not None:
            data = json.loads(self._json)
            self.texts += _json_texts(data)
            self.menu.append(data)
            self._json = None
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if self._json is not None:
            self._json += data
            return
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


def menu_urls(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return json_urls(parser.menu)


def english_in(html: str, *, ignore: tuple[str, ...] = ()) -> list[str]:
    """Each visible text with an English word or phrase from the list, with the match."""
    found = []
    for text in visible_texts(html):
        if any(ignored in text for ignored in ignore):
            continue
        for match in _PATTERN.finditer(text):
            found.append(f"{match.group(0)!r} in {text[:120]!r}")
    return found
