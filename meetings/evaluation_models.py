"""The evaluation after a meeting: who was asked, the anonymous answers, and the summary
an editor publishes on the meeting page (rules in `meetings.evaluation`).

Anonymity is kept by the tables themselves: an answer names its meeting and nothing
else. It has no link to the invitation or the person, no time of its own (a time could be
matched with a log line) and a random id (a sequential one gives away the order in which
people answered). The invitation records only *that* the attendee answered, so each
attendee answers once.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import MeetingPage, Registration

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class EvaluationInvitation(models.Model):
    """An attendee asked to evaluate a meeting: one per registration, made when the
    e-mail is queued, so the scheduled run sends it exactly once."""

    meeting = models.ForeignKey(
        MeetingPage,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="evaluation_invitations",
    )
    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="evaluation_invitation",
    )
    sent_at = models.DateTimeField(_("sent"))
    # Whether, never when: a time would tie the answer to the person.
    answered = models.BooleanField(_("answered"), default=False)

    class Meta:
        verbose_name = _("evaluation invitation")
        verbose_name_plural = _("evaluation invitations")


class EvaluationAnswer(models.Model):
    """One attendee's anonymous answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        MeetingPage,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="evaluation_answers",
    )
    overall = models.PositiveSmallIntegerField(_("overall rating"), validators=RATING_VALIDATORS)
    # [{"id": programme item's block id, "title": its title then, "rating": 1-5}, …]
    item_ratings = models.JSONField(_("ratings of programme items"), default=list, blank=True)
    next_topics = models.TextField(_("what the network should take up next"), blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overall__gte=1, overall__lte=5),
                name="meetings_evaluation_overall_1_to_5",
            )
        ]


class EvaluationSummary(models.Model):
    """What an editor shows of the evaluation on the meeting page: their own text and,
    if they choose, the averages as they were when they published (`figures`)."""

    meeting = models.OneToOneField(
        MeetingPage,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="evaluation_summary",
    )
    text = models.TextField(_("summary"), blank=True)
    show_figures = models.BooleanField(_("show the averages"), default=True)
    # {"answers": n, "overall": 4.2, "items": [{"title": …, "average": 4.5, "count": n}]}
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evaluation summary")
        verbose_name_plural = _("evaluation summaries")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
