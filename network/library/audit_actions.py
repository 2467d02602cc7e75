"""The agreements' audit actions on Wagtail's log (`portal.audit`), with Danish labels.
Imported by `wagtail_hooks`, so they are declared before Wagtail collects them."""

from django.utils.translation import gettext_lazy as _

from portal import audit

SUBMITTED = audit.action("library.agreement.submitted", _("Agreement submitted"))
PUBLISHED = audit.action("library.agreement.published", _("Agreement published"))
REJECTED = audit.action("library.agreement.rejected", _("Agreement rejected"))
WITHDRAWN = audit.action("library.agreement.withdrawn", _("Agreement consent withdrawn"))
STATUS_CHANGED = audit.action("library.agreement.status_changed", _("Agreement status changed"))
CONSENT_GIVEN = audit.action("library.consent.given", _("Party consent given"))
CONSENT_CHANGED = audit.action("library.consent.changed", _("Party consent changed"))
CONSENT_REQUESTED = audit.action("library.consent.requested", _("Party consent requested"))
SHOWN_AS_CHANGED = audit.action(
    "library.agreement.shown_as_changed", _("Agreement visibility changed")
)
