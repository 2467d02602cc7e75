"""The evaluation after a meeting: who is asked, the e-mail with its link, the form's
questions, taking an answer, the results staff read and the summary they publish.

- **Who.** When a live, planned meeting has ended, its attendees are asked: those checked
  in at the door, or, if nobody was checked in, those with a confirmed seat. Anonymised
  registrations and deactivated accounts are left out. Meetings that ended more than
  `SEND_WITHIN` ago are never asked (no surprise e-mail about last year's meeting).
- **Once.** `send_due_invitations` (the scheduled task `meetings.evaluation_tasks`) makes
  an `EvaluationInvitation` per attendee and queues its e-mail in the same transaction;
  the invitation is unique per registration, so overlapping runs send it once. An e-mail
  the pipeline finally gives up on hands the invitation back, so a later run tries again.
- **The link** carries the invitation's id signed with the site's secret
  (`django.core.signing`, its own salt) and is valid `LINK_VALID` from sending; nobody can
  make or guess one. No login is needed.
- **Anonymous.** The answer is stored without any link to the invitation or the person
  (see `evaluation_models`); the invitation is marked "answered" in the same
  transaction, which is also what allows only one answer per attendee.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal import audit, emails, formats, tree_cache

from . import audit_actions
from .blocks import ProgrammeItemKind
from .evaluation_models import EvaluationAnswer, EvaluationInvitation, EvaluationSummary
from .ics import absolute_url
from .models import MeetingPage, Registration

SEND_WITHIN = datetime.timedelta(days=7)
LINK_VALID = datetime.timedelta(days=30)
LINK_SALT = "meetings.evaluation.answer"
RATED_KINDS = (ProgrammeItemKind.TALK, ProgrammeItemKind.WORKSHOP)
RATINGS = (1, 2, 3, 4, 5)
# Fewer answers than this are never published as averages: with two answers, each
# attendee could work out what the other one said.
MIN_ANSWERS_TO_PUBLISH = 3


# --- Who is asked, and the e-mail ------------------------------------------------------


def attendees(meeting: MeetingPage) -> list[Registration]:
    """Who came: those checked in at the door, or, if nobody was checked in, everyone
    with a confirmed seat; only people who can still be written to (not anonymised, not
    deactivated), one registration per person. The one rule for "a meeting's attendees":
    the staff's messages to attendees use it too (`meetings.messages.recipients_for`)."""
    registrations = meeting.registrations.all()
    if meeting.registrations.filter(attended_at__isnull=False).exists():
        registrations = registrations.filter(attended_at__isnull=False)
    else:
        registrations = registrations.filter(status=Registration.Status.CONFIRMED)
    registrations = (
        registrations.filter(person__isnull=False, person__is_active=True)
        .select_related("person")
        .order_by("pk")
    )
    chosen = {}
    for registration in registrations:
        chosen.setdefault(registration.person_id, registration)
    return list(chosen.values())


def due_meetings(*, now: datetime.datetime | None = None):
    now = now or timezone.now()
    return MeetingPage.objects.live().filter(
        status=MeetingPage.Status.PLANNED, end__lte=now, end__gt=now - SEND_WITHIN
    )


def make_token(invitation: EvaluationInvitation) -> str:
    return signing.dumps(invitation.pk, salt=LINK_SALT, compress=True)


def invitation_from_token(token: str) -> tuple[EvaluationInvitation | None, str]:
    """(invitation, "") for a good link, else (None, "expired" | "invalid")."""
    try:
        pk = signing.loads(token, salt=LINK_SALT, max_age=LINK_VALID)
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"
    if not isinstance(pk, int):
        return None, "invalid"
    invitation = EvaluationInvitation.objects.select_related("meeting").filter(pk=pk).first()
    if invitation is None:
        return None, "invalid"
    return invitation, ""


def answer_url(invitation: EvaluationInvitation) -> str:
    return absolute_url(reverse("meetings:evaluation", args=[make_token(invitation)]))


def build_email(invitation: EvaluationInvitation, registration: Registration) -> EmailMessage:
    meeting = invitation.meeting
    person = registration.person
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "meeting": meeting,
            "person": person,
            "url": answer_url(invitation),
            "valid_until": timezone.localtime(invitation.sent_at + LINK_VALID),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = " ".join(
            render_to_string("meetings/evaluation/email_subject.txt", context).split()
        )
        body = render_to_string("meetings/evaluation/email.txt", context)
    return EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
    )


def send_due_invitations(*, now: datetime.datetime | None = None) -> int:
    """Ask every attendee of every meeting that ended within `SEND_WITHIN`, once each.
    Returns how many e-mails were queued."""
    from .evaluation_tasks import give_back_invitation

    now = now or timezone.now()
    sent = 0
    for meeting in due_meetings(now=now):
        # Per person, not per registration: someone with two registrations is asked once.
        asked = set(
            meeting.evaluation_invitations.values_list("registration__person_id", flat=True)
        )
        for registration in attendees(meeting):
            if registration.person_id in asked:
                continue
            try:
                with transaction.atomic():
                    invitation = EvaluationInvitation.objects.create(
                        meeting=meeting, registration=registration, sent_at=now
                    )
                    invitation.meeting = meeting
                    emails.queue(
                        build_email(invitation, registration),
                        on_failure=give_back_invitation,
                        on_failure_args=[invitation.pk],
                    )
            except IntegrityError:
                continue  # another run asked this attendee a moment ago
            sent += 1
    return sent


def give_back(invitation_id: int) -> None:
    """The e-mail finally failed: forget the invitation (unless answered), so the next
    run within `SEND_WITHIN` sends a new one."""
    EvaluationInvitation.objects.filter(pk=invitation_id, answered=False).delete()


# --- The form's questions and taking an answer -------------------------------------------


@dataclass(frozen=True)
class RatedItem:
    id: str
    title: str
    kind_label: str
    time: str


def rated_items(meeting: MeetingPage) -> list[RatedItem]:
    """The programme's talks and workshops, in programme order."""
    items = []
    for block in meeting.programme:
        value = block.value
        if value.get("kind") not in RATED_KINDS:
            continue
        start = value.get("start_time")
        items.append(
            RatedItem(
                id=str(block.id),
                title=value.get("title", ""),
                kind_label=value.kind_label,
                time=formats.time_of_day(start),
            )
        )
    return items


def submit_answer(
    *,
    invitation: EvaluationInvitation,
    overall: int,
    item_ratings: dict[str, int],
    next_topics: str = "",
    comment: str = "",
) -> bool:
    """Store the answer and mark the invitation answered, together. False (and nothing
    stored) if this invitation has been answered already."""
    titles = {item.id: item.title for item in rated_items(invitation.meeting)}
    with transaction.atomic():
        claimed = EvaluationInvitation.objects.filter(pk=invitation.pk, answered=False).update(
            answered=True
        )
        if not claimed:
            return False
        EvaluationAnswer.objects.create(
            meeting_id=invitation.meeting_id,
            overall=overall,
            item_ratings=[
                {"id": item_id, "title": titles[item_id], "rating": rating}
                for item_id, rating in item_ratings.items()
                if item_id in titles and rating in RATINGS
            ],
            next_topics=next_topics.strip(),
            comment=comment.strip(),
        )
    return True


# --- Results --------------------------------------------------------------------------


@dataclass
class QuestionResult:
    label: str
    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(RATINGS, 0))

    def add(self, rating: int) -> None:
        if rating in self.counts:
            self.counts[rating] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def average(self) -> float | None:
        if not self.total:
            return None
        return round(sum(r * n for r, n in self.counts.items()) / self.total, 1)

    @property
    def distribution(self) -> list[dict]:
        """Per rating: the count and its share in whole per cent (for the bars)."""
        total = self.total
        return [
            {
                "rating": rating,
                "count": count,
                "percent": round(100 * count / total) if total else 0,
            }
            for rating, count in self.counts.items()
        ]


@dataclass
class Results:
    invited: int
    answered: int
    overall: QuestionResult
    items: list[QuestionResult]
    next_topics: list[str]
    comments: list[str]

    @property
    def response_rate(self) -> int:
        return round(100 * self.answered / self.invited) if self.invited else 0

    @property
    def can_publish_figures(self) -> bool:
        return self.answered >= MIN_ANSWERS_TO_PUBLISH


def results(meeting: MeetingPage) -> Results:
    """Averages and distributions per question, and the texts, for staff. Two queries."""
    from django.db.models import Count, Q
    from django.utils.translation import gettext as _

    invited = meeting.evaluation_invitations.aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(answered=True))
    )
    overall = QuestionResult(_("Overall rating"))
    items: dict[str, QuestionResult] = {
        item.id: QuestionResult(item.title) for item in rated_items(meeting)
    }
    next_topics, comments = [], []
    answers = list(meeting.evaluation_answers.order_by("id"))
    for answer in answers:
        overall.add(answer.overall)
        for rating in answer.item_ratings:
            item = items.setdefault(rating["id"], QuestionResult(rating.get("title", "")))
            item.add(rating.get("rating"))
        if answer.next_topics:
            next_topics.append(answer.next_topics)
        if answer.comment:
            comments.append(answer.comment)
    return Results(
        invited=invited["invited"],
        answered=len(answers),
        overall=overall,
        items=list(items.values()),
        next_topics=next_topics,
        comments=comments,
    )


def figures(result: Results) -> dict:
    """What a published summary keeps of the results: averages only, never a text, and
    only of questions at least `MIN_ANSWERS_TO_PUBLISH` answered (an item only one person
    rated would show that person's rating)."""
    return {
        "answers": result.answered,
        "overall": result.overall.average,
        "items": [
            {"title": item.label, "average": item.average, "count": item.total}
            for item in result.items
            if item.total >= MIN_ANSWERS_TO_PUBLISH
        ],
    }


# --- The summary on the meeting page ----------------------------------------------------


def publish_summary(
    *, meeting: MeetingPage, text: str, show_figures: bool, by
) -> EvaluationSummary:
    """Show the editor's text (and, if chosen and there are enough answers, the averages
    as they are now) on the meeting page from the next request on."""
    result = results(meeting)
    summary, _created = EvaluationSummary.objects.get_or_create(meeting=meeting)
    summary.text = text.strip()
    summary.show_figures = show_figures and result.can_publish_figures
    summary.figures = figures(result) if summary.show_figures else {}
    summary.published_at = timezone.now()
    summary.published_by = by
    summary.save()
    tree_cache.forget()  # the meeting page keeps its summary in the tree cache
    audit.record(
        meeting,
        audit_actions.EVALUATION_SUMMARY_PUBLISHED,
        by=by,
        data={"answers": result.answered, "figures": summary.show_figures},
    )
    return summary


def unpublish_summary(*, meeting: MeetingPage, by) -> bool:
    updated = EvaluationSummary.objects.filter(meeting=meeting, published_at__isnull=False).update(
        published_at=None
    )
    if updated:
        tree_cache.forget()
        audit.record(meeting, audit_actions.EVALUATION_SUMMARY_UNPUBLISHED, by=by)
    return bool(updated)


def published_summary(meeting: MeetingPage) -> EvaluationSummary | None:
    """The summary the meeting page shows. Read when the page's kept parts are built
    (`MeetingPage._kept_parts`, in the tree cache): publishing or taking it down makes
    them obsolete (`tree_cache.forget`), so the page shows the change on the next request."""
    if not meeting.pk:
        return None
    return EvaluationSummary.objects.filter(meeting=meeting, published_at__isnull=False).first()
