"""Demo content (`manage.py load_demo`): the evaluation of "3. netværksmøde 2021".

Five attendees answered (their registrations have long been anonymised, as the
retention rule does), the demo member was asked and did not answer, and the
coordinator's summary with the averages is on the meeting page. Idempotent: nothing is
added once the meeting has invitations.
"""

import datetime

from django.utils import timezone

from . import evaluation
from .demo import DECEMBER_SLUG
from .evaluation_models import EvaluationAnswer, EvaluationInvitation
from .models import MeetingPage, Registration

ANSWERS = [
    (5, [5, 4, 5, 4], "Erfaringer med fleksibel udlejning i mindre kommuner", ""),
    (4, [4, 4, 3, 5], "Samarbejdet med politiet om tryghed", "Godt med tid til sparring."),
    (4, [5, 3, 4, 4], "", "Workshoppen kunne have været længere."),
    (3, [3, 4, 3, 3], "Boligsocial økonomi og helhedsplaner", ""),
    (5, [5, 5, 4, 4], "Housing First i praksis, et år efter", "Tak for en god dag."),
]


def load() -> None:
    meeting = MeetingPage.objects.filter(slug=DECEMBER_SLUG).first()
    if meeting is None or meeting.evaluation_invitations.exists():
        return
    checked_in = timezone.make_aware(datetime.datetime(2021, 12, 8, 9, 35))
    asked = timezone.make_aware(datetime.datetime(2021, 12, 8, 16, 0))
    items = evaluation.rated_items(meeting)
    for overall, ratings, next_topics, comment in ANSWERS:
        registration = Registration.objects.create(
            meeting=meeting,
            person=None,
            kind=Registration.Kind.MEMBER,
            status=Registration.Status.CONFIRMED,
            created_at=checked_in - datetime.timedelta(days=20),
            confirmed_at=checked_in - datetime.timedelta(days=20),
            attended_at=checked_in,
            anonymised_at=checked_in + datetime.timedelta(days=365),
        )
        EvaluationInvitation.objects.create(
            meeting=meeting, registration=registration, sent_at=asked, answered=True
        )
        EvaluationAnswer.objects.create(
            meeting=meeting,
            overall=overall,
            item_ratings=[
                {"id": item.id, "title": item.title, "rating": rating}
                for item, rating in zip(items, ratings, strict=False)
            ],
            next_topics=next_topics,
            comment=comment,
        )
    member_registration = meeting.registrations.filter(person__email="medlem@aarhus.dk").first()
    if member_registration is not None:
        EvaluationInvitation.objects.create(
            meeting=meeting, registration=member_registration, sent_at=asked
        )
    evaluation.publish_summary(
        meeting=meeting,
        text=(
            "Deltagerne var glade for dagens oplæg og for tiden til sparring, og flere "
            "ønskede mere tid til workshoppen. Til næste møde ønskes især erfaringer med "
            "fleksibel udlejning, Housing First og boligsocial økonomi."
        ),
        show_figures=True,
        by=None,
    )
