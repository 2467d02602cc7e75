"""Data derived from the page tree and the site settings, kept in the shared cache.

Every page shows the same header, menu and footer (`portal.chrome`), and every page
view and listing asks which sections of the tree are private
(`portal.visibility`). Both change only when an editor changes something, so they are
built once and kept in the cache (Redis in production, shared by every app server).

Entries carry the version they were built under. Any change that could alter them (a
page saved, published, unpublished, moved or deleted; a view restriction, the site
settings or a site saved; see `portal.signals`) sets a new version, so every entry is
obsolete at once, on every app server: editors see their change on the next request.
The version is set again when the transaction commits, so an entry that a request
built meanwhile from the rows before the change is never used.
"""

import logging
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

VERSION_KEY = "portal:tree:version"
# A safety net only: every change that matters makes entries obsolete at once.
TIMEOUT = 15 * 60


def cached(
    key: str,
    build: Callable[[], object],
    version_key: str | tuple[str, ...] = VERSION_KEY,
    fresh: Callable[[object], bool] | None = None,
):
    """The value kept under `key` for the current version, built and kept if missing.

    One cache round trip when the value is there. Without a cache (Redis down or
    restarting) the value is built from the database each time: pages keep answering.
    Other data kept the same way, made obsolete by other changes, names its own
    `version_key` (`portal.auth_backends`: people's permissions), or several
    (a tuple: the site search's results, obsolete when any of them is renewed). A value
    that can also go out of date with time says so through `fresh(value)`: a stale one
    is rebuilt."""
    keys = (version_key,) if isinstance(version_key, str) else tuple(version_key)
    try:
        found = cache.get_many([*keys, key])
        if any(found.get(name) is None for name in keys):
            for name in keys:
                cache.add(name, uuid.uuid4().hex, None)
            found = {**found, **cache.get_many(list(keys))}
        versions = tuple(found.get(name) for name in keys)
        version = versions[0] if isinstance(version_key, str) else versions
    except Exception:  # the Redis client raises its own connection errors
        logger.warning("tree cache unavailable; %s built from the database", key)
        return build()
    entry = found.get(key)
    if entry is not None and entry[0] == version and (fresh is None or fresh(entry[1])):
        return entry[1]
    value = build()
    try:
        cache.set(key, (version, value), TIMEOUT)
    except Exception:
        logger.warning("tree cache unavailable; %s not kept", key)
    return value


def forget(version_key: str = VERSION_KEY) -> None:
    """Make every entry obsolete, now and when the current transaction commits."""
    _new_version(version_key)
    transaction.on_commit(lambda: _new_version(version_key))


def _new_version(version_key: str = VERSION_KEY) -> None:
    try:
        cache.set(version_key, uuid.uuid4().hex, None)
    except Exception:
        # Nothing is served from a cache that cannot be reached; entries kept in it
        # are at most TIMEOUT old when it returns.
        logger.warning("tree cache unavailable; its version was not renewed")
