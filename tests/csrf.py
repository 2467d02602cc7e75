"""A test client that enforces CSRF, as a browser session against the real site does.

Django's test client skips the CSRF check unless asked, so a form rendered without
`{% csrf_token %}` passed every test and failed for every editor (the check-in buttons
in "Tilmeldinger" did). Every test in this suite gets a client with the check on.

`client.submit(action, data, page=...)` does what a person does: it opens `page` (the
action itself by default), finds the POST form there that sends to `action`, takes that
form's CSRF token and posts. A page without such a form, or a form without a token,
fails the test with a message that says which. `client.post()` stays the raw request,
for tests that show a request without a token is refused.

Some tests post where no form is offered on purpose: a stranger posting to someone
else's action, a form after its deadline, a method check. Django's CSRF token belongs
to the session, not to a form, so a token from any form the person can open is valid
for every action; `client.post_with_token(action, data, page=...)` takes it from `page`
(the home page by default) and posts, so the test shows the refusal is the view's, not
the CSRF check's.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client

TOKEN_FIELD = "csrfmiddlewaretoken"
ANONYMOUS_FORM_PAGE = "/konto/login/"


class _Forms(HTMLParser):
    """The POST forms on a page: their action and the CSRF token inside each."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._current = {
                "method": (attributes.get("method") or "get").lower(),
                "action": attributes.get("action"),
                "token": None,
            }
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None and attributes.get("name") == TOKEN_FIELD:
            self._current["token"] = attributes.get("value")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _path(url: str) -> str:
    return urlsplit(url).path


def _post_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return [form for form in parser.forms if form["method"] == "post"]


def form_token(html: str, *, action: str, page: str) -> str:
    """The CSRF token of the POST form on `page` (HTML) that sends to `action`."""
    forms = _post_forms(html)
    wanted = _path(urljoin(page, action))
    matching = [form for form in forms if _path(urljoin(page, form["action"] or page)) == wanted]
    if not matching:
        actions = sorted({str(form["action"]) for form in forms})
        raise AssertionError(f"No POST form on {page} sends to {wanted} (POST forms: {actions})")
    for form in matching:
        if form["token"]:
            return form["token"]
    raise AssertionError(f"The form on {page} that sends to {wanted} has no CSRF token")


class CsrfEnforcingClient(Client):
    def __init__(self, **defaults):
        super().__init__(enforce_csrf_checks=True, **defaults)

    def _open(self, page: str) -> str:
        response = self.get(page)
        if response.status_code != 200:
            raise AssertionError(f"Opening {page} answered {response.status_code}, not 200")
        return response.content.decode()

    def csrf_token(self, page: str = "/") -> str:
        """This session's CSRF token, taken from the first POST form on `page` that
        carries one (for someone logged in, the header's "Log ud" is on every page).
        Public pages carry no token for an anonymous visitor (nginx keeps them for
        everyone: portal.middleware.PublicPageCacheMiddleware); then the token comes
        from the login form, which every anonymous visitor can open."""
        pages = [page] if page == ANONYMOUS_FORM_PAGE else [page, ANONYMOUS_FORM_PAGE]
        for url in pages:
            for form in _post_forms(self._open(url)):
                if form["token"]:
                    return form["token"]
        raise AssertionError(f"No POST form with a CSRF token on {' or '.join(pages)}")

    def post_with_token(self, action: str, data=None, *, page: str = "/", **extra):
        """Post `data` to `action` with the session's token from any form on `page`:
        for requests a person can make although no form offers them (see the module
        docstring). Keyword arguments go to `post()`."""
        payload = dict(data or {})
        payload[TOKEN_FIELD] = self.csrf_token(page)
        return self.post(action, payload, **extra)

    def submit(self, action: str, data=None, *, page: str | None = None, **extra):
        """Open `page` (default: `action`), take the token of its form that posts to
        `action`, and post `data` with it. Keyword arguments go to `post()` (`follow`,
        `format`, headers)."""
        page = page or action
        token = form_token(self._open(page), action=action, page=page)
        payload = dict(data or {})
        payload[TOKEN_FIELD] = token
        return self.post(action, payload, **extra)

    def submit_form(self, page: str, data=None, *, action_prefix: str, **extra):
        """Open `page`, take its POST form whose action starts with `action_prefix`, and
        post to that action, as a browser does. For forms whose action the page computes
        afresh (allauth's e-mail confirmation signs its key with the current second, so
        the form may send to another address than the link that opened it)."""
        html = self._open(page)
        for form in _post_forms(html):
            action = _path(urljoin(page, form["action"] or page))
            if action.startswith(action_prefix) and form["token"]:
                payload = dict(data or {})
                payload[TOKEN_FIELD] = form["token"]
                return self.post(action, payload, **extra)
        raise AssertionError(f"No POST form with a token on {page} sends to {action_prefix}…")
