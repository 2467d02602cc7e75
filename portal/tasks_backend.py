"""The task backend of the stack and production: django-tasks-rq's RQ backend, enqueueing
after the database transaction commits.

django-tasks-rq pushes a job to Redis the moment `task.enqueue()` is called. Called inside a
transaction (a Wagtail publish, an admin save, a registration), a worker can then run the
job before the transaction commits and find nothing: measured in the stack, Wagtail's search
indexing task (`modelsearch.tasks.insert_or_update_object_task`, enqueued from post_save)
failed with Document.DoesNotExist for a document uploaded in the admin, which was then
missing from search. Here the job is built at once (its id is the TaskResult's id) but
pushed to Redis on commit, and not at all if the transaction rolls back. Outside a
transaction it is pushed at once, exactly as django-tasks-rq does.

TASKS_BACKEND=portal.tasks_backend.RQBackend (scripts/stack sets it).
"""

import django_rq
from django.db import transaction
from django_tasks.base import TASK_MAX_PRIORITY, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq.backend import Job, failed_callback, success_callback
from django_tasks_rq.backend import RQBackend as BaseRQBackend
from rq.job import Callback, JobStatus


class RQBackend(BaseRQBackend):
    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        task_result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

        def push():
            queue = django_rq.get_queue(task.queue_name, job_class=Job)
            job = queue.create_job(
                task.module_path,
                args=args,
                kwargs=kwargs,
                job_id=task_result.id,
                status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
                on_failure=Callback(failed_callback),
                on_success=Callback(success_callback),
                meta={"backend_name": self.alias},
            )
            if task.run_after is None:
                job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
            else:
                job = queue.schedule_job(job, task.run_after)
            object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
            task_enqueued.send(type(self), task_result=task_result)

        # on_commit runs `push` at once when no transaction is open.
        transaction.on_commit(push)
        return task_result
