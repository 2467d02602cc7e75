"""The network app's actions on the one audit trail (`portal.audit`): imported by
network/wagtail_hooks.py (so Wagtail knows their labels) and by the services that write
them."""

from django.utils.translation import gettext_lazy as _

from portal import audit

AFFILIATION_REVOKED = audit.action("network.affiliation.revoked", _("Affiliation revoked"))
AFFILIATION_RESTORED = audit.action("network.affiliation.restored", _("Affiliation restored"))
