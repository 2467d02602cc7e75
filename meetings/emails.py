"""The registration e-mails, in Danish, as plain text with an HTML alternative.

Templates: `meetings/email/<event>_subject.txt`, `<event>.txt`, `<event>.html` for the
events in `EVENTS`. Confirmation, promotion, reminder, an approval with a seat and a seat
taken over from a colleague carry the meeting as an ICS attachment. Rendered when queued and sent by the
portal's e-mail pipeline (portal/emails.py).
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portal import emails

from .ics import absolute_url, ics_filename, meeting_ics
from .models import Registration

EVENTS = (
    "confirmed",
    "waitlisted",
    "promoted",
    "cancelled",
    "reminder",
    # Approval: the request is received, approved (a seat, or the waitlist) or declined.
    "pending",
    "approved",
    "declined",
    # Timed waitlist offers: a seat is offered; the time ran out.
    "offered",
    "offer_expired",
    # Send a colleague instead: to the participant, and to the colleague.
    "handed_over",
    "taken_over",
)
WITH_CALENDAR = {"confirmed", "promoted", "reminder", "taken_over"}
CANCEL_SALT = "meetings.registration.cancel"


def cancel_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CANCEL_SALT, compress=True)


def registration_from_token(token: str) -> Registration | None:
    try:
        pk = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    return Registration.objects.select_related("meeting", "person").filter(pk=pk).first()


def cancel_url(registration: Registration) -> str:
    return absolute_url(reverse("meetings:cancel_by_token", args=[cancel_token(registration)]))


def build_email(registration: Registration, event: str) -> EmailMultiAlternatives:
    if event not in EVENTS:
        raise ValueError(f"Unknown registration e-mail {event!r}")
    meeting = registration.meeting
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "registration": registration,
            "meeting": meeting,
            "person": registration.person,
            "venue": meeting.venue,
            "meeting_url": absolute_url(meeting.get_url() or "/"),
            "my_page_url": absolute_url(reverse("my_page")),
            "cancel_url": cancel_url(registration) if registration.is_active else "",
            "send_colleague_url": (
                absolute_url(reverse("meetings:send_colleague", args=[registration.pk]))
                if registration.is_confirmed and registration.organisation_id
                else ""
            ),
            "offer_url": absolute_url(reverse("meetings:offer", args=[registration.pk])),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = render_to_string(f"meetings/email/{event}_subject.txt", context)
        subject = " ".join(subject.split())
        text = render_to_string(f"meetings/email/{event}.txt", context)
        html = render_to_string(f"meetings/email/{event}.html", context)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.person.email],
        cc=(
            [registration.registered_by.email]
            if registration.registered_by_id
            and registration.registered_by_id != registration.person_id
            and event in ("confirmed", "waitlisted", "cancelled", "pending", "approved", "declined")
            else []
        ),
    )
    message.attach_alternative(html, "text/html")
    if event in WITH_CALENDAR or (event == "approved" and registration.is_confirmed):
        message.attach(
            ics_filename(meeting),
            meeting_ics(meeting).decode("utf-8"),
            "text/calendar; charset=utf-8; method=PUBLISH",
        )
    return message


def queue_registration_email(registration_id: int, event: str) -> bool:
    """Render the e-mail for `event` now and queue it (portal/emails.py). Called after the
    registration's transaction has committed. A reminder that finally fails to send is
    given back (`tasks.give_back_reminder`), so the next reminder run sends it again."""
    from . import tasks

    registration = (
        Registration.objects.select_related(
            "meeting",
            "meeting__venue",
            "person",
            "registered_by",
            "organisation",
            "substitute_for__person",
            "substituted_by__person",
        )
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.person_id is None:  # gone, or anonymised
        return False
    on_failure = tasks.give_back_reminder if event == "reminder" else None
    emails.queue(
        build_email(registration, event), on_failure=on_failure, on_failure_args=[registration_id]
    )
    return True
