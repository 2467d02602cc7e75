"""Messages to people: staff write an e-mail to a meeting's confirmed participants, its
waitlist, its attendees after the meeting, or everyone in a network's member organisations.

`recipients_for` decides the audience (one queryset of people), `create` keeps the message
with one `MessageRecipient` row per person, and the task `meetings.tasks.send_message`
queues the e-mails in batches (`send_batches`), each recipient their own, through the
portal's e-mail pipeline (portal/emails.py). The rule of who may do it is
`meetings.access.can_send_messages`.
"""

import datetime
import html
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from portal import audit, emails

from . import audit_actions
from .models import Message, MessageRecipient, Registration

BATCH_SIZE = 50
# A message not fully queued this long after it was sent lost its job: the scheduled
# `meetings.tasks.finish_messages` takes it up.
STALE_AFTER = datetime.timedelta(minutes=5)
# The attachment is copied into every recipient's queued e-mail: keep it small.
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024

Audience = Message.Audience


def attendees(meeting):
    """Who came: those checked in at the door, or, if nobody was checked in, everyone
    with a confirmed seat."""
    checked_in = meeting.registrations.filter(attended_at__isnull=False)
    if checked_in.exists():
        return checked_in
    return meeting.registrations.filter(status=Registration.Status.CONFIRMED)


def recipients_for(
    *, audience: str, meeting=None, network=None, contact_persons_only: bool = False, on=None
):
    """The people an audience means, as a queryset of active users (each once)."""
    from network.models import Affiliation, Membership

    people = get_user_model().objects.filter(is_active=True)
    if audience in Message.MEETING_AUDIENCES:
        if meeting is None:
            return people.none()
        if audience == Audience.CONFIRMED:
            registrations = meeting.registrations.filter(status=Registration.Status.CONFIRMED)
        elif audience == Audience.WAITLIST:
            registrations = meeting.registrations.filter(status=Registration.Status.WAITLISTED)
        else:
            registrations = attendees(meeting)
        people = people.filter(pk__in=registrations.values("person"))
    elif audience == Audience.NETWORK:
        if network is None:
            return people.none()
        memberships = Membership.objects.active(on=on).for_network(network)
        affiliations = Affiliation.objects.verified().filter(
            organisation__in=memberships.values("organisation")
        )
        if contact_persons_only:
            affiliations = affiliations.filter(role=Affiliation.Role.CONTACT_PERSON)
        people = people.filter(pk__in=affiliations.values("person"))
    else:
        return people.none()
    return people.exclude(Q(email="") | Q(email__isnull=True)).order_by(
        "first_name", "last_name", "email", "pk"
    )


def check(
    *, audience, meeting=None, network=None, attachment=None, now=None
) -> dict[str, ValidationError]:
    """Field errors in Danish for a message that cannot be sent as asked."""
    errors = {}
    if audience in Message.MEETING_AUDIENCES and meeting is None:
        errors["meeting"] = ValidationError(_("Choose the meeting."))
    if audience == Audience.NETWORK and network is None:
        errors["network"] = ValidationError(_("Choose the network."))
    if (
        audience == Audience.ATTENDEES
        and meeting is not None
        and not meeting.is_past(now or timezone.now())
    ):
        errors["audience"] = ValidationError(
            _("The meeting has not been held yet: write to its confirmed participants instead.")
        )
    if attachment is not None:
        if audience not in Message.MEETING_AUDIENCES or meeting is None:
            errors["attachment"] = ValidationError(
                _("An attachment can only be sent with a message about a meeting.")
            )
        elif attachment.meeting_id != meeting.pk:
            errors["attachment"] = ValidationError(_("Choose one of this meeting's materials."))
        elif (attachment.size or 0) > MAX_ATTACHMENT_BYTES:
            errors["attachment"] = ValidationError(
                _("The file is too large to send by e-mail (at most 5 MB).")
            )
    return errors


# --- The e-mail ----------------------------------------------------------------------------


def body_text(rich_text: str) -> str:
    """The rich text as plain text: paragraphs and list items on their own lines, links
    with their address."""
    value = expand_db_html(rich_text)
    value = re.sub(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', r"\2 (\1)", value, flags=re.S)
    value = re.sub(r"<li[^>]*>", "- ", value)
    value = re.sub(r"</(p|li|h\d|ul|ol)>|<br\s*/?>", "\n", value)
    text = html.unescape(strip_tags(value))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def build_email(message: Message, person) -> EmailMultiAlternatives:
    from .ics import absolute_url

    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "message": message,
            "person": person,
            "body_html": expand_db_html(message.body),
            "body_text": body_text(message.body),
            "meeting": message.meeting if message.audience in Message.MEETING_AUDIENCES else None,
            "meeting_url": (
                absolute_url(message.meeting.get_url() or "/") if message.meeting else ""
            ),
            "site_name": settings.WAGTAIL_SITE_NAME,
            "my_page_url": absolute_url(reverse("my_page")),
        }
        text = render_to_string("meetings/email/message.txt", context)
        html_body = render_to_string("meetings/email/message.html", context)
    email = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{' '.join(message.subject.split())}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
    )
    email.attach_alternative(html_body, "text/html")
    if message.attachment_id and message.attachment.file:
        material = message.attachment
        with material.file.open("rb") as handle:
            content = handle.read()
        email.attach(material.filename, content, material.file_type or "application/octet-stream")
    return email


# --- Sending -------------------------------------------------------------------------------


def create(
    *,
    by,
    subject: str,
    body: str,
    audience: str,
    meeting=None,
    network=None,
    contact_persons_only: bool = False,
    attachment=None,
) -> Message:
    """Keep the message with its recipients and hand it to the task queue once committed."""
    from . import tasks
    from .access import can_send_messages

    if not can_send_messages(by):
        raise PermissionError("may not send messages")
    errors = check(audience=audience, meeting=meeting, network=network, attachment=attachment)
    if errors:
        raise ValidationError(errors)
    people = list(
        recipients_for(
            audience=audience,
            meeting=meeting,
            network=network,
            contact_persons_only=contact_persons_only,
        ).values_list("pk", flat=True)
    )
    if not people:
        raise ValidationError({"audience": _("Nobody would get this message.")})
    with transaction.atomic():
        message = Message.objects.create(
            subject=subject,
            body=body,
            audience=audience,
            meeting=meeting if audience in Message.MEETING_AUDIENCES else None,
            network=network if audience == Audience.NETWORK else None,
            contact_persons_only=audience == Audience.NETWORK and contact_persons_only,
            attachment=attachment,
            created_by=by,
            recipient_count=len(people),
        )
        MessageRecipient.objects.bulk_create(
            MessageRecipient(message=message, person_id=pk) for pk in people
        )
        audit.record(
            message,
            audit_actions.MESSAGE_SENT,
            by=by,
            data={"recipients": len(people), "audience": message.audience_text},
        )
        pk = message.pk
        transaction.on_commit(lambda: tasks.send_message.enqueue(pk))
    return message


def send_batches(message_id: int, *, batch_size: int = BATCH_SIZE) -> int:
    """Queue the message's e-mails, `batch_size` recipients per transaction; a run that
    stops half-way is picked up by the next (only rows not yet queued are taken). Returns
    how many were queued by this run."""
    message = Message.objects.select_related("meeting", "attachment").filter(pk=message_id).first()
    if message is None:
        return 0
    queued = 0
    while True:
        with transaction.atomic():
            batch = list(
                MessageRecipient.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(message=message, queued_at__isnull=True)
                .select_related("person")
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            now = timezone.now()
            for recipient in batch:
                if recipient.person_id and recipient.person.email:
                    emails.queue(build_email(message, recipient.person))
                    queued += 1
            MessageRecipient.objects.filter(pk__in=[r.pk for r in batch]).update(queued_at=now)
    Message.objects.filter(pk=message.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return queued


def finish_unsent(*, now=None) -> int:
    """Queue what is left of messages sent more than `STALE_AFTER` ago and not yet fully
    queued (a lost job, a worker that stopped). Returns how many e-mails were queued."""
    now = now or timezone.now()
    stale = Message.objects.filter(sent_at__isnull=True, created_at__lt=now - STALE_AFTER)
    return sum(send_batches(pk) for pk in stale.values_list("pk", flat=True))
