"""Background work of the evaluation (django-tasks): the scheduled run that asks
attendees (portal/schedule.py), and giving back an invitation whose e-mail failed."""

from django_tasks import task


@task()
def send_evaluation_invitations() -> int:
    from . import evaluation

    return evaluation.send_due_invitations()


@task()
def give_back_invitation(invitation_id: int) -> None:
    from . import evaluation

    evaluation.give_back(invitation_id)
