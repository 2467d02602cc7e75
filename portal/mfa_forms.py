"""allauth's security-key forms with a Danish label on the key's name (allauth leaves the
field unlabelled, so it showed "Name"). Wired in by MFA_FORMS in the settings."""

from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django.utils.translation import gettext_lazy as _

KEY_NAME = _("Name of the key (e.g. “My phone”)")


class PortalAddWebAuthnForm(AddWebAuthnForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME


class PortalEditWebAuthnForm(EditWebAuthnForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME
