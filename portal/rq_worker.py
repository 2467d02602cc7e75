"""The RQ worker the task workers run (settings.RQ["WORKER_CLASS"], so
`manage.py rqworker` uses it without a flag).

RQ's own worker, with its registry maintenance every 30 seconds instead of every 10
minutes. That maintenance is what notices a job whose worker died mid-job (SIGKILL, out of
memory, a lost machine): once the dead job's heartbeat has lapsed (about 90 s with RQ's
defaults) the next maintenance pass retries it if the job has retries left, or else marks
it failed, which runs django-tasks-rq's failure callback (django-tasks' `task_finished`
signal with status FAILED). So a killed job is settled within about two minutes, not ten.
"""

from rq.worker import Worker as RQWorker

MAINTENANCE_SECONDS = 30


class Worker(RQWorker):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("maintenance_interval", MAINTENANCE_SECONDS)
        super().__init__(*args, **kwargs)
