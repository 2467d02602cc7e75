"""The library's page bodies kept in the shared cache: the agreement listing (with and
without a search), the national overview and the inspiration index.

These bodies cost most of their page's time (the filter form's option lists, the
listing's rows, the overview's aggregates), yet change only when an editor or a party
changes something. A body is kept under a key made of everything it depends on:

- the page tree's version (`portal.tree_cache`: titles, intros, addresses, resource pages),
- the library's own version (`VERSION_KEY`, renewed by `connect_signals` whenever an
  agreement, a party's consent, an organisation, a topic or an agreement's parties or
  topics change; and by code that writes in bulk, through `forget`),
- the language, the host and page, and the query string,
- the visitor's access class (`visitor_class`): what the visibility rules let them see.
  A body that shows something only one person may see (the consent of the agreements
  they are a party to) carries that person in its key.

Nothing else in a body may depend on the visitor: the header, messages and anything with a
form token stay outside, rendered on every request. Without a cache (Redis down) the body
is built each time. Entries are obsolete as soon as either version changes, on every app
server at once; the timeout is a safety net only.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from portal import tree_cache

logger = logging.getLogger(__name__)

VERSION_KEY = "library:data:version"
TIMEOUT = 15 * 60


def body(request, name: str, access: str, build: Callable[[], str]) -> str:
    """The HTML body `name` for this request: kept, or built by `build()` and kept."""
    digest = hashlib.sha256(
        "\n".join(
            [
                name,
                access,
                get_language() or "",
                request.get_host(),
                request.path,
                request.GET.urlencode(),
            ]
        ).encode()
    ).hexdigest()
    key = f"library:body:{digest}"
    try:
        found = cache.get_many([tree_cache.VERSION_KEY, VERSION_KEY, key])
        versions = (found.get(tree_cache.VERSION_KEY), found.get(VERSION_KEY))
        if None in versions:
            cache.add(tree_cache.VERSION_KEY, uuid.uuid4().hex, None)
            cache.add(VERSION_KEY, uuid.uuid4().hex, None)
            found = cache.get_many([tree_cache.VERSION_KEY, VERSION_KEY])
            versions = (found.get(tree_cache.VERSION_KEY), found.get(VERSION_KEY))
    except Exception:  # the Redis client raises its own connection errors
        logger.warning("cache unavailable; library body %s built from the database", name)
        return build()
    entry = found.get(key)
    if entry is not None and entry[0] == versions:
        return entry[1]
    html = build()
    if None not in versions:
        try:
            cache.set(key, (versions, html), TIMEOUT)
        except Exception:
            logger.warning("cache unavailable; library body %s not kept", name)
    return html


def forget() -> None:
    """Make every kept body obsolete, now and when the current transaction commits (so a
    body built meanwhile from the rows before the change is never used)."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:
        logger.warning("cache unavailable; the library's version was not renewed")


def _forget(**kwargs) -> None:
    forget()


def connect_signals() -> None:
    from network.models import Affiliation, Organisation

    from .models import Agreement, AgreementConsent, Topic

    for model in (Agreement, AgreementConsent, Organisation, Topic, Affiliation):
        post_save.connect(_forget, sender=model, dispatch_uid=f"library.body.save.{model}")
        post_delete.connect(_forget, sender=model, dispatch_uid=f"library.body.delete.{model}")
    for through in (Agreement.housing_organisations.through, Agreement.topics.through):
        m2m_changed.connect(_forget, sender=through, dispatch_uid=f"library.body.m2m.{through}")
