"""Models of meeting communication: what registrants were last told about a meeting (change
notices, `meetings.notices`) and staff's messages to people (`meetings.messages`).

Imported at the end of `meetings.models`, so Django sees them as models of this app.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from .models import MeetingMaterial, MeetingPage

# --- Change notices ------------------------------------------------------------------------


class MeetingChangeState(models.Model):
    """Per meeting: the calendar SEQUENCE, the snapshot of the last publication and the
    snapshot registrants were last told (see `meetings.notices.snapshot`)."""

    meeting = models.OneToOneField(
        MeetingPage,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="change_state",
    )
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    published = models.JSONField(_("last published"), default=dict)
    told = models.JSONField(_("last told to registrants"), default=dict)
    told_at = models.DateTimeField(_("registrants last told"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting change state")
        verbose_name_plural = _("meeting change states")

    def __str__(self):
        return f"{self.meeting_id}: {self.sequence}"


# --- Messages to people ----------------------------------------------------------------------


class Message(models.Model):
    """An e-mail staff wrote to a chosen audience, kept with its recipients."""

    class Audience(models.TextChoices):
        CONFIRMED = "confirmed", _("A meeting's confirmed participants")
        WAITLIST = "waitlist", _("A meeting's waitlist")
        ATTENDEES = "attendees", _("A meeting's attendees (after the meeting)")
        NETWORK = "network", _("Everyone in a network's member organisations")

    MEETING_AUDIENCES = (Audience.CONFIRMED, Audience.WAITLIST, Audience.ATTENDEES)

    subject = models.CharField(_("subject"), max_length=200)
    body = RichTextField(_("message"), features=["bold", "italic", "link", "ul", "ol"])
    audience = models.CharField(_("recipients"), max_length=20, choices=Audience.choices)
    meeting = models.ForeignKey(
        MeetingPage,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    network = models.ForeignKey(
        "network.NetworkPage",
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_persons_only = models.BooleanField(_("contact persons only"), default=False)
    attachment = models.ForeignKey(
        MeetingMaterial,
        verbose_name=_("attachment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: one of the meeting's materials."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("all queued"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("number of recipients"), default=0)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    @property
    def audience_text(self) -> str:
        """E.g. "A meeting's waitlist: Forårsmøde 2030"."""
        target = self.meeting if self.audience in self.MEETING_AUDIENCES else self.network
        label = str(self.get_audience_display())
        if self.audience == self.Audience.NETWORK and self.contact_persons_only:
            label = f"{label} ({_('contact persons only')})"
        return f"{label}: {target}" if target else label


class MessageRecipient(models.Model):
    """One person a message went to. The address is the person's own (read when sent), so
    a deleted account leaves an empty row and no address behind."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["message", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "person"], name="meetings_message_recipient_once"
            )
        ]

    def __str__(self):
        return str(self.person) if self.person_id else str(_("Deleted account"))
