"""A breadth-first crawler on the Django test client, for the admin and the public site.

`crawl(client, starts, ...)` follows same-site links (`a[href]`, and GET forms' actions are
not followed) from `starts`, visiting each path once, and returns a `Visit` per URL. It
never follows links that change something on GET or leave the session (log out, delete,
unpublish …), and it visits at most `per_pattern` URLs that differ only in their numbers
(one page's history, not all 40), so it stays quick and bounded.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from .english_in_admin import menu_urls

# Links a crawler must not follow: they act, or end the session, or download files.
NEVER = re.compile(
    r"/(logout|log-ud|delete|unpublish|lock|unlock|revert|copy|move|convert_alias"
    r"|workflow|cancel|afmeld|confirm|approve|reject|check-?in|tjek-ind|export|download"
    r"|set_language|i18n|bulk|impersonate|disable|enable|serve|documents/\d+/|ics)(/|$|\?)"
    r"|\.(ics|csv|xlsx|pdf|docx|odt|pptx|txt|png|jpe?g|gif|svg|webp|zip)$"
    r"|^/(static|media)/"
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links_in(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.links:
        if href.startswith(("mailto:", "tel:", "javascript:", "#", "data:")):
            continue
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.netloc and parts.netloc not in ("testserver", "localhost", "127.0.0.1"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        found.append(path)
    return found


@dataclass
class Visit:
    url: str
    status: int
    html: str = ""
    found_on: str = ""
    location: str = ""
    links: list[str] = field(default_factory=list)


def pattern(url: str) -> str:
    path, _, query = url.partition("?")
    return re.sub(r"\d+", "N", path) + ("?" + re.sub(r"=[^&]*", "=", query) if query else "")


def crawl(
    client,
    starts: list[str],
    *,
    inside: str = "/",
    limit: int = 600,
    per_pattern: int = 3,
    skip: re.Pattern | None = None,
) -> list[Visit]:
    queue = deque((url, "") for url in starts)
    seen: set[str] = set()
    per: dict[str, int] = {}
    visits: list[Visit] = []
    client.raise_request_exception = False  # a 500 is a finding, not the end of the crawl
    while queue and len(visits) < limit:
        url, found_on = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        key = pattern(url)
        if per.get(key, 0) >= per_pattern and url not in starts:
            continue
        per[key] = per.get(key, 0) + 1
        response = client.get(url)
        visit = Visit(url=url, status=response.status_code, found_on=found_on)
        if response.status_code in (301, 302, 303, 307, 308):
            visit.location = response["Location"]
            target = urlsplit(urljoin(url, visit.location))
            if not target.netloc or target.netloc == "testserver":
                follow = target.path + (f"?{target.query}" if target.query else "")
                if follow.startswith(inside):
                    queue.append((follow, url))
        is_html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code == 200 and is_html and not getattr(response, "streaming", False):
            visit.html = response.content.decode("utf-8", "replace")
            visit.links = links_in(visit.html, url) + menu_urls(visit.html)
            for link in visit.links:
                if not link.startswith(inside) or NEVER.search(link.split("?")[0]):
                    continue
                if skip is not None and skip.search(link):
                    continue
                if link not in seen:
                    queue.append((link, url))
        visits.append(visit)
    return visits
