"""The stack's task backend (portal.tasks_backend.RQBackend) on a real Redis: a task
enqueued inside a transaction reaches the queue only when the transaction commits (a
worker must not run it against rows it cannot see yet), and never if it rolls back;
outside a transaction it is queued at once. The job's id is the TaskResult's."""

import pytest
import redis
from django.db import transaction
from django_tasks import task
from rq import Queue

from tests.servers import redis_server


@task()
def index_object(pk: int) -> int:
    return pk


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def queue(settings, redis_url):
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.TASKS = {
        "default": {"BACKEND": "portal.tasks_backend.RQBackend", "QUEUES": ["default"]}
    }
    connection = redis.Redis.from_url(redis_url)
    connection.flushdb()
    yield Queue("default", connection=connection)
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_in_a_transaction_is_queued_when_it_commits(queue):
    with transaction.atomic():
        result = index_object.enqueue(7)
        assert queue.count == 0  # a worker cannot pick it up yet
    assert queue.job_ids == [result.id]
    assert list(queue.fetch_job(result.id).args) == [7]


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_in_a_rolled_back_transaction_is_never_queued(queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        index_object.enqueue(8)
        raise RuntimeError("the save failed")
    assert queue.count == 0


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_task_is_queued_at_once(queue):
    result = index_object.enqueue(9)
    assert queue.job_ids == [result.id]
