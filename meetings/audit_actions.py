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
EVALUATION_SUMMARY_PUBLISHED = audit.action(
    "meetings.evaluation.summary_published", _("Evaluation summary published")
)
EVALUATION_SUMMARY_UNPUBLISHED = audit.action(
    "meetings.evaluation.summary_unpublished", _("Evaluation summary taken down")
)
