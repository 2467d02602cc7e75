"""Two-factor login (allauth.mfa) in tests.

Everyone who can enter the admin must have signed in with a second factor before an
admin page opens (`portal.middleware.AdminRequiresMFAMiddleware`). `client.force_login`
stands for a whole login, so the suite's client (`PortalTestClient`, the `client`
fixture) completes it as allauth would: a person who must use MFA gets a real TOTP
authenticator (with `SECRET`, unless they have one) and the session gets the same "mfa"
authentication record that allauth writes after the code step (everyone else gets the
password step's record, as after a real login). `force_login(user,
mfa=False)` logs in with the password step only, to show what the admin then does.
"""

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from tests.csrf import CsrfEnforcingClient

# A fixed base32 secret for authenticators made by tests (never a real person's).
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PERIOD = 30


def totp_code(secret: str = SECRET, *, step: int = 0, at: float | None = None) -> str:
    """The code an authenticator app shows for `secret` now (`step` periods later)."""
    counter = int(at if at is not None else time.time()) // PERIOD + step
    return format_hotp_value(hotp_value(secret, counter))


def give_authenticator(user, secret: str = SECRET) -> Authenticator:
    """The person's TOTP authenticator, set up with `secret` when they have none."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret).instance


def secret_of(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def record_login(client, user, authenticator=None) -> None:
    """Write what allauth records in the session after the password step (and the code
    step, given the authenticator)."""
    session = client.session
    now = time.time()
    records = [{"method": "password", "at": now, "email": user.email}]
    if authenticator is not None:
        records.append(
            {"method": "mfa", "at": now, "id": authenticator.pk, "type": authenticator.type}
        )
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


class PortalTestClient(CsrfEnforcingClient):
    def force_login(self, user, backend=None, *, mfa: bool | None = None):
        super().force_login(user, backend)
        if mfa is None:
            from portal.access import must_use_mfa

            # A fresh instance: has_perm caches permissions on the object it is asked.
            mfa = must_use_mfa(type(user).objects.get(pk=user.pk))
        record_login(self, user, give_authenticator(user) if mfa else None)
