"""The Redis cache backend (portal/cache.py): while Redis cannot be reached (a restart), the
cache misses instead of failing, so pages answer, signed-in people stay signed in (their
sessions are cached_db: the database holds them) and login limits fail closed. Redis here
is a real connection to a loopback port where nothing listens; the stack tests restart a
real Redis under traffic (tests/stack/test_redis_restart.py)."""

import socket

import pytest
from django.core.cache import cache

from .conftest import PASSWORD


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_away(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_an_unreachable_redis_is_a_miss_not_an_error(redis_away, caplog, monkeypatch):
    monkeypatch.setattr("portal.cache._last_logged", [0.0])
    assert cache.get("key", "default") == "default"
    cache.set("key", "value")  # dropped
    assert cache.add("key", "value") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("key") is False
    assert cache.delete("key") is False
    assert cache.get_or_set("key", "computed") == "computed"
    assert "Redis unreachable" in caplog.text
    # A counter is not silently dropped.
    with pytest.raises(Exception, match=r"(?i)connect"):
        cache.incr("counter")


def test_pages_answer_and_the_signed_in_stay_signed_in_while_redis_is_away(
    redis_away, client, home_page, member
):
    client.force_login(member)  # the session is written to the database
    assert client.get("/").status_code == 200
    page = client.get("/min-side/")
    assert page.status_code == 200
    assert "Mads" in page.content.decode()


def test_logins_are_refused_not_broken_while_redis_is_away(redis_away, client, home_page, member):
    # allauth's rate limit cannot take its lock in the cache: the attempt is refused with
    # its "too many requests" answer (fail closed), not an error page, not a login.
    response = client.submit("/konto/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_real_redis_is_used_through_one_client_that_reconnects(tmp_path, settings):
    # One redis.Redis per connection pool (not one per call): values round-trip, the same
    # client answers every call, and it connects again after its connections are dropped.
    from tests.servers import redis_server

    with redis_server(tmp_path / "redis") as url:
        settings.CACHES = {
            "default": {
                "BACKEND": "portal.cache.ForgivingRedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            }
        }
        cache.set("greeting", "hej", 30)
        assert cache.get_many(["greeting", "missing"]) == {"greeting": "hej"}
        client = cache._cache.get_client("greeting")
        assert cache._cache.get_client("other") is client
        assert cache._cache.get_client("greeting", write=True) is client
        client.connection_pool.disconnect()  # as a restart drops the connections
        assert cache.get("greeting") == "hej"
        assert cache.add("greeting", "again") is False
