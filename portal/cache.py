"""The cache backend when REDIS_URL is set: Django's Redis cache, except that a Redis
that cannot be reached (restarting, a network blip) counts as a cache miss instead of an
error page.

Django's own backend raises the client's ConnectionError from every call, and every page
reads the cache (sessions are `cached_db`, template fragments, allauth's rate limits), so
a Redis restart answered 500 to everyone for a second (`tests/stack/test_redis_restart.py`).
Here, while Redis is away, reads miss, writes are dropped and `add` reports "not added";
each failure is logged. What that means for the cache's users:

- sessions (`cached_db`) are read from and written to the database, so nobody is logged
  out;
- allauth's rate limits cannot take their lock (`add` fails) and refuse the attempt
  (its "too many requests" answer, 429): login limits fail closed, never open;
- cached fragments are rendered afresh.

Only unreachability is forgiven; any other error (a wrong value, a bug) still raises.
The first failure is logged as a warning, then at most one every ten seconds per process.

Django's client also builds a new `redis.Redis` object for every cache call (about
0.3 ms of CPU each: it fills a table of some 170 response callbacks), and a page makes
several. The client here keeps one per connection pool: a `redis.Redis` is safe to share
and takes a connection from its pool for each command, and Django's cache objects are
per thread anyway.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
LOG_EVERY_SECONDS = 10
_last_logged = [0.0]


def _log(name: str, error: Exception) -> None:
    now = time.monotonic()
    if now - _last_logged[0] >= LOG_EVERY_SECONDS:
        _last_logged[0] = now
        logger.warning("Redis unreachable, cache %s treated as a miss: %s", name, error)


def _forgiving(name: str, fallback):
    """`RedisCacheClient.<name>`, answering `fallback(*args)` while Redis is away."""
    method = getattr(RedisCacheClient, name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            _log(name, error)
            return fallback(*args)

    call.__name__ = name
    call.__doc__ = method.__doc__
    return call


class ForgivingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client

    add = _forgiving("add", lambda *args: False)
    get = _forgiving("get", lambda key, default: default)
    set = _forgiving("set", lambda *args: None)
    touch = _forgiving("touch", lambda *args: False)
    delete = _forgiving("delete", lambda *args: False)
    get_many = _forgiving("get_many", lambda *args: {})
    has_key = _forgiving("has_key", lambda *args: False)
    set_many = _forgiving("set_many", lambda *args: [])
    delete_many = _forgiving("delete_many", lambda *args: None)
    clear = _forgiving("clear", lambda *args: False)
    # incr stays strict: a counter that silently stops counting would mislead its caller.


class ForgivingRedisCache(RedisCache):
    """`CACHES["default"]["BACKEND"]` with REDIS_URL (portal/settings/base.py)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient
