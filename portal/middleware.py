from urllib.parse import urlencode

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _


class DanishFirstLocaleMiddleware:
    """Danish for everyone, English for those who choose it with the language switcher.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show most
    visitors with an English-language browser an English site. The portal is Danish first:
    the language comes from the cookie that `set_language` (the footer switcher) writes, and
    otherwise is LANGUAGE_CODE.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class AdminPreviewFrameOptionsMiddleware:
    """Let the Wagtail admin frame its own previews; everything else stays DENY.

    X_FRAME_OPTIONS is DENY site-wide (as `check --deploy` asks); the admin's live preview
    shows pages in an iframe from the same origin, so admin responses get SAMEORIGIN.
    Sits below XFrameOptionsMiddleware, which keeps a header that is already set.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = getattr(settings, "WAGTAILADMIN_PATH_PREFIX", "/admin/")

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefix):
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, letting the Wagtail admin frame its previews.

    The public site keeps `frame-ancestors 'none'`. A preview is rendered by Wagtail
    through the whole middleware stack with a fake request for the page's public URL
    (`request.is_preview`), so it would get that policy too, and the browser would refuse
    to show it in the admin's preview panel. Previews (only ever served to the admin, on
    this site's origin) get `frame-ancestors 'self'` instead; nothing else changes.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if getattr(request, "is_preview", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts


class AdminAccessMiddleware:
    """A logged-in person who may not enter the admin gets a 403 page, not a redirect loop.

    Wagtail sends such a person to the login URL (allauth's); allauth sends someone who
    is already logged in straight back to `next=/admin/...`, and the browser gives up with
    "too many redirects". This answers first, on the site's layout, with a link to Min
    side. Anonymous visitors still go to the login as before. Sits below
    AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = getattr(settings, "WAGTAILADMIN_PATH_PREFIX", "/admin/")

    def __call__(self, request):
        from .access import can_open_admin

        user = getattr(request, "user", None)
        if (
            request.path.startswith(self.prefix)
            and user is not None
            and user.is_authenticated
            and not can_open_admin(user)
        ):
            return render(request, "403_admin.html", status=403)
        return self.get_response(request)


class AdminRequiresMFAMiddleware:
    """No admin page opens for a session that has not proved a second factor.

    Everyone who can enter the admin (`portal.access.must_use_mfa`) and asks for any URL
    under the Wagtail admin is sent, with a Danish message:
    - to set up an authenticator app, when they have none yet;
    - to type a code from it ("Bekræft med to-trins-login"), when they have one but this
      session was not signed in with it (e.g. it was set up in another session).
    Someone who removes their last authenticator is sent to set one up again.
    allauth's own views then send them back to the page they asked for. Logging out of
    the admin stays open.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        admin_prefix = getattr(settings, "WAGTAILADMIN_PATH_PREFIX", "/admin/")
        self.prefixes = (admin_prefix,)
        self.open_paths = {f"{admin_prefix}logout/"}

    def __call__(self, request):
        if request.path.startswith(self.prefixes) and request.path not in self.open_paths:
            from .access import must_use_mfa
            from .mfa import has_second_factor, session_used_mfa

            if must_use_mfa(request.user):
                has_factor = has_second_factor(request.user)
                if not (has_factor and session_used_mfa(request)):
                    return self._redirect(request, has_factor)
        return self.get_response(request)

    def _redirect(self, request, has_factor: bool):
        back = urlencode({"next": request.get_full_path()})
        if has_factor:
            messages.warning(
                request,
                _("Confirm your sign-in with your two-factor code before you use the admin."),
            )
            return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{back}")
        messages.warning(
            request,
            _(
                "The admin requires two-factor login. Set it up with an authenticator app "
                "on your phone; then the admin opens."
            ),
        )
        return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{back}")


class PublicPageCacheMiddleware:
    """Tell nginx which responses it may keep for everyone, and mark the rest private.

    The caching contract with nginx (docs/operations.md): nginx caches a proxied response
    only when it carries `X-Accel-Expires: N`; it never answers from its cache a request
    that carries the session cookie, and its key includes the language cookie. This sends
    `X-Accel-Expires: PUBLIC_PAGE_CACHE_SECONDS` only for a page any visitor would get
    alike: an anonymous, cookie-less (but for the language) GET or HEAD answered 200 that
    sets no cookie, used no CSRF token (a form's token belongs to one visitor), and is not
    the admin, "Min side", the account pages, a document, or a preview. Everything else
    gets `Cache-Control: private`, so neither nginx nor any cache between keeps it. The
    TTL is short (5 s by default) so that a published change shows within seconds
    without a purge.

    Sits just below WhiteNoise (static files never reach it) and above the session, CSRF
    and messages middleware, so it sees every cookie they set.
    """

    # Never shared, whatever the response looks like: the admin and Wagtail's admin
    # helpers, the person's own pages, accounts and language switching, and documents
    # (Wagtail checks each document's privacy per request).
    PRIVATE_PREFIXES = ("/admin/", "/min-side/", "/konto/", "/i18n/", "/documents/", "/_util/")
    # Cookies whose presence means the answer may be this visitor's own: the session
    # (signed in, a password-protected page opened, a pending message) and Django's
    # cookie-stored messages. The language cookie is fine: it is part of nginx's key.
    PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")

    def __init__(self, get_response):
        self.get_response = get_response
        admin_prefix = getattr(settings, "WAGTAILADMIN_PATH_PREFIX", "/admin/")
        self.private_prefixes = (*self.PRIVATE_PREFIXES, admin_prefix)

    def __call__(self, request):
        response = self.get_response(request)
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if seconds > 0 and self.is_public(request, response):
            response.headers["X-Accel-Expires"] = str(seconds)
        else:
            response.headers.pop("X-Accel-Expires", None)
            if not self.says_not_to_share(response):
                patch_cache_control(response, private=True)
        return response

    @staticmethod
    def says_not_to_share(response) -> bool:
        # A view that said not to keep its answer (never_cache, private files, /healthz)
        # is obeyed, and its header left as it is.
        cache_control = response.get("Cache-Control", "").lower()
        return any(word in cache_control for word in ("private", "no-store", "no-cache"))

    def is_public(self, request, response) -> bool:
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return False
        if request.path.startswith(self.private_prefixes):
            return False
        if getattr(request, "is_preview", False):
            return False
        if any(name in request.COOKIES for name in self.PERSONAL_COOKIES):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        if response.cookies or request.META.get("CSRF_COOKIE_USED"):
            return False
        return not self.says_not_to_share(response)


class CachedSiteMiddleware:
    """Which Wagtail site a request is for, from the cache (`portal.tree_cache`).

    Wagtail finds the site with a query on every request and keeps the answer on the
    request (`request._wagtail_site`, as `Site.find_for_request` documents). This puts
    the answer there first, with its root page, from the cache, made obsolete whenever
    a site or a page is saved; the first request after a change asks Wagtail again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http.request import split_domain_port
        from wagtail.models import Site

        from . import tree_cache

        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        request._wagtail_site = tree_cache.cached(
            f"portal:site:{hostname}:{port}", lambda: self.find(request, Site)
        )
        return self.get_response(request)

    @staticmethod
    def find(request, site_model):
        site = site_model._find_for_request(request)
        if site is not None:
            # The root page as its own model: Wagtail's routing starts from
            # `root_page.specific`, a query per request otherwise.
            site.root_page = site.root_page.specific
        return site


class SiteNotFoundPageMiddleware:
    """`make run` (portal.settings.dev, DEBUG on): an unknown address shows the site's own
    404 page, in the visitor's language, as in production, instead of Django's English
    debug page listing the URL patterns. Errors (500) keep Django's debug page.

    Django renders its debug 404 itself whenever DEBUG is on (for a Wagtail page that is
    not there and for an address no URL pattern matches alike), so the page is swapped
    on the way out; only dev settings list this middleware, outermost."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and settings.DEBUG
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and b"you have <code>DEBUG = True</code>" in response.content
        ):
            from django.views.defaults import page_not_found

            return page_not_found(request, exception=None)
        return response
