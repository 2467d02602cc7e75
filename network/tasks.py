"""Scheduled work of the membership year (portal/schedule.py): renewal invitations and
reminders, and the rollover at New Year. Both are safe to run any number of times."""

from django_tasks import task

from . import renewals


@task()
def send_renewal_notices() -> dict:
    return renewals.send_renewal_notices()


@task()
def roll_over_memberships() -> dict:
    return renewals.roll_over()
