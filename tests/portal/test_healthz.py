"""/healthz, for load balancers and scripts/stack: 200 when the database and the cache
answer, 503 naming what does not."""

import pytest

from tests.servers import free_ports, redis_server

pytestmark = pytest.mark.django_db


def test_healthy_when_the_database_and_the_cache_answer(client, settings, tmp_path):
    with redis_server(tmp_path / "redis") as url:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        }
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


def test_unhealthy_when_redis_is_down(client, settings):
    (closed_port,) = free_ports(1)  # nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable: cache\n"
    assert response["Cache-Control"] == "no-store"
