from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from wagtail.models import Site

from . import emails
from .models import SiteSettings


class AccountAdapter(DefaultAccountAdapter):
    """allauth's e-mails sign off with the organisation's name and the site's address.

    allauth would otherwise take both from the request's host ("Hej fra 127.0.0.1:8000"),
    as django.contrib.sites is not installed. The e-mail templates are the portal's own,
    in `templates/account/email/`. They are rendered now, in the request's language, and
    queued like every e-mail (portal/emails.py), not sent inside the request.
    """

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        site = Site.find_for_request(request) if request is not None else None
        site_name = SiteSettings.for_site(site).organisation_name if site else None
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request) if request else None,
            "site_name": site_name or settings.WAGTAIL_SITE_NAME,
            "site_url": request.build_absolute_uri("/") if request else settings.SITE_URL,
            **context,
        }
        emails.queue(self.render_mail(template_prefix, email, context))

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The key of allauth's "login_failed" limit (5 failures in 5 minutes): the login
        alone. allauth adds the site's domain, which without django.contrib.sites is the
        request's Host header, port and all; any port passes ALLOWED_HOSTS, so a client
        naming a new port each time was never limited, and app servers reached under
        different addresses each counted apart."""
        login = credentials.get("email", credentials.get("username", ""))
        return f"login:{login.lower()}"
