"""Audit actions of the network app, on Wagtail's log (see portal/audit.py)."""

from django.utils.translation import gettext_lazy as _

from portal import audit

MEMBERSHIP_APPLIED = audit.action("network.membership.applied", _("Membership applied for"))
MEMBERSHIP_APPROVED = audit.action("network.membership.approved", _("Membership approved"))
MEMBERSHIP_CANCELLED = audit.action("network.membership.cancelled", _("Membership cancelled"))
MEMBERSHIP_ENDED = audit.action("network.membership.ended", _("Membership ended"))

AFFILIATION_REQUESTED = audit.action("network.affiliation.requested", _("Affiliation requested"))
AFFILIATION_VERIFIED = audit.action("network.affiliation.verified", _("Affiliation verified"))
AFFILIATION_REJECTED = audit.action("network.affiliation.rejected", _("Affiliation rejected"))
# Staff change a decided affiliation, with a reason (services.change_decided_affiliation).
AFFILIATION_REVOKED = audit.action("network.affiliation.revoked", _("Affiliation revoked"))
AFFILIATION_RESTORED = audit.action("network.affiliation.restored", _("Affiliation restored"))

# The membership year (network.renewals).
MEMBERSHIP_RENEWED = audit.action("network.membership.renewed", _("Membership renewed"))
MEMBERSHIP_NOT_RENEWED = audit.action(
    "network.membership.not_renewed", _("Membership not renewed for the coming year")
)
MEMBERSHIP_CONTINUED = audit.action(
    "network.membership.continued", _("Membership continued into the new year")
)
# Staff downloaded the membership's e-invoice (alone or in a year's zip): data has the number.
INVOICE_DOWNLOADED = audit.action(
    "network.membership.invoice_downloaded", _("E-invoice downloaded")
)
