"""Audit actions of the meetings app, on Wagtail's log (see portal/audit.py)."""

from django.utils.translation import gettext_lazy as _

from portal import audit

REGISTRATION_CONFIRMED = audit.action(
    "meetings.registration.confirmed", _("Registration confirmed")
)
REGISTRATION_WAITLISTED = audit.action("meetings.registration.waitlisted", _("Put on the waitlist"))
REGISTRATION_PROMOTED = audit.action(
    "meetings.registration.promoted", _("Moved up from the waitlist")
)
REGISTRATION_CANCELLED = audit.action(
    "meetings.registration.cancelled", _("Registration cancelled")
)
REGISTRATION_CHECKED_IN = audit.action("meetings.registration.checked_in", _("Checked in"))
REGISTRATION_CHECK_IN_UNDONE = audit.action(
    "meetings.registration.check_in_undone", _("Check-in undone")
)
REGISTRATION_ANONYMISED = audit.action(
    "meetings.registration.anonymised", _("Registration anonymised")
)

# Change notices and messages (meetings.notices, meetings.messages).
NOTICE_SENT = audit.action("meetings.notice.sent", _("Registrants told about changes"))
NOTICE_SKIPPED = audit.action(
    "meetings.notice.skipped", _("Changes published without telling registrants")
)
MESSAGE_SENT = audit.action("meetings.message.sent", _("Message sent"))
REGISTRATION_REQUESTED = audit.action(
    "meetings.registration.requested", _("Registration requested (awaiting approval)")
)
REGISTRATION_APPROVED = audit.action("meetings.registration.approved", _("Registration approved"))
REGISTRATION_DECLINED = audit.action("meetings.registration.declined", _("Registration declined"))
REGISTRATION_OFFERED = audit.action(
    "meetings.registration.offered", _("Offered a seat from the waitlist")
)
REGISTRATION_OFFER_ACCEPTED = audit.action(
    "meetings.registration.offer_accepted", _("Offer of a seat accepted")
)
REGISTRATION_OFFER_EXPIRED = audit.action(
    "meetings.registration.offer_expired", _("Offer of a seat ran out")
)
REGISTRATION_HANDED_OVER = audit.action(
    "meetings.registration.handed_over", _("Seat handed over to a colleague")
)
REGISTRATION_TAKEN_OVER = audit.action(
    "meetings.registration.taken_over", _("Seat taken over from a colleague")
)
EVALUATION_SUMMARY_PUBLISHED = audit.action(
    "meetings.evaluation.summary_published", _("Evaluation summary published")
)
EVALUATION_SUMMARY_UNPUBLISHED = audit.action(
    "meetings.evaluation.summary_unpublished", _("Evaluation summary taken down")
)
