"""One answer per attendee and one e-mail per attendee under concurrent requests and
runs, on SQLite and on PostgreSQL alike (see test_concurrency.py for the setup)."""

import pytest
import time_machine
from django.core import mail

from meetings import evaluation
from meetings.evaluation_models import EvaluationAnswer, EvaluationInvitation
from meetings.factories import RegistrationFactory

from .conftest import cph
from .test_concurrency import run_in_threads

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ENDED = cph(2030, 3, 10, 15)
AFTER = cph(2030, 3, 10, 16)


@pytest.fixture
def ended_meeting(make_meeting, member_org, person_at):
    meeting = make_meeting(start=cph(2030, 3, 10, 10), end=ENDED)
    org = member_org(years=[2030])
    for index in range(6):
        RegistrationFactory(
            meeting=meeting,
            person=person_at(org, email=f"deltager{index}@x.dk"),
            organisation=org,
            attended_at=cph(2030, 3, 10, 10),
        )
    return meeting


def test_overlapping_runs_ask_each_attendee_once(ended_meeting):
    with time_machine.travel(AFTER, tick=False):
        results, errors = run_in_threads([evaluation.send_due_invitations] * 4)
    assert errors == []
    assert sum(results) == 6
    assert EvaluationInvitation.objects.count() == 6
    assert sorted(m.to[0] for m in mail.outbox) == [f"deltager{i}@x.dk" for i in range(6)]


def test_eight_simultaneous_answers_on_one_link_store_one(ended_meeting):
    with time_machine.travel(AFTER, tick=False):
        evaluation.send_due_invitations()
    invitation = EvaluationInvitation.objects.order_by("pk").first()

    def answer(rating):
        return lambda: evaluation.submit_answer(
            invitation=invitation, overall=rating, item_ratings={}
        )

    results, errors = run_in_threads([answer(1 + i % 5) for i in range(8)])
    assert errors == []
    assert sorted(results) == [False] * 7 + [True]
    assert EvaluationAnswer.objects.count() == 1
    invitation.refresh_from_db()
    assert invitation.answered
