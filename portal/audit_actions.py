"""Audit actions of the portal: the person's own data (see portal/audit.py)."""

from django.utils.translation import gettext_lazy as _

from portal import audit

DATA_EXPORTED = audit.action("portal.account.data_exported", _("Personal data downloaded"))
ACCOUNT_DELETED = audit.action("portal.account.deleted", _("Account deleted"))
