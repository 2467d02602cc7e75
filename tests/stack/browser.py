"""A browser over plain HTTP for the stack tests: cookies, CSRF and forms as a person's
browser handles them, without JavaScript.

`Browser(url)` keeps one cookie jar (cookies on 127.0.0.1 go to every port, so a session
made through nginx also reaches each app server directly, as it would on one host name).
`open_form(page, action=...)` GETs the page and reads the POST form that sends to
`action`: every field a browser would submit (hidden inputs such as the CSRF token,
text, checked boxes, the selected option, textareas; nothing inside a `<template>`).
`submit(form, changes, button=..., files=...)` posts it with the Referer and Origin a
browser sends. `add_inline(prefix)` does what Wagtail's "Add" button in an inline panel
does: copy the empty form template with the next index and count it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

TIMEOUT = 60
TOKEN_FIELD = "csrfmiddlewaretoken"
_SKIPPED_TYPES = {"submit", "button", "reset", "image", "file"}


@dataclass
class Form:
    page: str  # the URL the form was read from (the Referer)
    action: str  # absolute URL
    method: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    templates: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def get(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.fields:
            if key == name:
                return value
        return default

    def set(self, name: str, value) -> None:
        """Replace every value of `name` (or add it): one value, or a list of them."""
        values = value if isinstance(value, list | tuple) else [value]
        self.fields = [(key, val) for key, val in self.fields if key != name]
        self.fields.extend((name, str(val)) for val in values)

    def add_inline(self, prefix: str, values: dict) -> int:
        """Wagtail's inline panel "Add": the `<template>` form with the next index, the
        TOTAL_FORMS count raised. Returns the new form's index."""
        total_name = f"{prefix}-TOTAL_FORMS"
        index = int(self.get(total_name, "0"))
        template = self.templates.get(f"id_{prefix}-EMPTY_FORM_TEMPLATE")
        if template is None:
            raise AssertionError(f"The form has no empty-form template for {prefix!r}")
        for name, value in template:
            self.fields.append((name.replace("__prefix__", str(index)), value))
        self.set(f"{prefix}-{index}-ORDER", index + 1)
        for name, value in values.items():
            self.set(f"{prefix}-{index}-{name}", value)
        self.set(total_name, index + 1)
        return index


class _FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._template: list[tuple[str, str]] | None = None
        self._template_depth = 0
        self._textarea: tuple[str, list[str]] | None = None
        self._select: dict | None = None
        self._option: dict | None = None

    def _target(self) -> list[tuple[str, str]] | None:
        if self._template is not None:
            return self._template
        return self._form.fields if self._form is not None else None

    def handle_starttag(self, tag, attrs):
        a = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            self._form = Form(
                page=self.page,
                action=urljoin(self.page, a.get("action") or self.page),
                method=(a.get("method") or "get").lower(),
                enctype=a.get("enctype") or "application/x-www-form-urlencoded",
            )
            self.forms.append(self._form)
        elif tag == "template":
            if self._template is None and self._form is not None:
                self._template = []
                self._form.templates[a.get("id", "")] = self._template
            if self._template is not None:
                self._template_depth += 1
        target = self._target()
        if target is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "image") and self._template is None:
                self._form.buttons.append((name, a.get("value", "")))
            if kind in _SKIPPED_TYPES:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    target.append((name, a.get("value", "on")))
                return
            target.append((name, a.get("value", "")))
        elif tag == "button" and name and self._template is None:
            self._form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self._select["options"].append(self._option)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "template":
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        target = self._target()
        if tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            # A browser drops the one newline that directly follows <textarea>.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            if target is not None:
                target.append((name, text))
            self._textarea = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [o for o in options if o["selected"]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]
            if target is not None:
                for option in chosen:
                    value = option["value"] if option["value"] is not None else option["text"]
                    target.append((self._select["name"], value.strip()))
            self._select = None
        elif tag == "template" and self._template is not None:
            self._template_depth -= 1
            if self._template_depth == 0:
                self._template = None
        elif tag == "form":
            self._form = None


def read_forms(html: str, page: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


class HTTPProblem(AssertionError):
    pass


class Browser:
    """One person's browser. `base` is where relative paths go (nginx by default)."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "erfa-stack-tests"
        self.session.headers["Accept-Language"] = "da"

    def url(self, path: str, base: str | None = None) -> str:
        if path.startswith("http://") or path.startswith("https://"):
            return path
        return f"{(base or self.base).rstrip('/')}{path}"

    def get(self, path: str, *, base: str | None = None, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        return self.session.get(self.url(path, base), **kwargs)

    def open_form(self, page: str, *, action: str | None = None, base: str | None = None) -> Form:
        """The POST form on `page` that sends to `action` (a path; `page` itself by
        default), as the server rendered it just now."""
        url = self.url(page, base)
        response = self.get(url)
        if response.status_code != 200:
            raise HTTPProblem(f"Opening {url} answered {response.status_code}, not 200")
        wanted = urlsplit(urljoin(url, action or url)).path
        matching = [
            form
            for form in read_forms(response.text, response.url)
            if form.method == "post" and urlsplit(form.action).path == wanted
        ]
        if matching:
            # Some pages (Wagtail's editor) have small dialog forms sending to the same
            # action; the one a person fills in is the biggest.
            return max(matching, key=lambda form: len(form.fields) + len(form.buttons))
        actions = sorted({urlsplit(f.action).path for f in read_forms(response.text, url)})
        raise HTTPProblem(f"No POST form on {url} sends to {wanted} (forms: {actions})")

    def submit(
        self,
        form: Form,
        changes: dict | None = None,
        *,
        button: str | None = None,
        files: dict | None = None,
        allow_redirects: bool = False,
        **kwargs,
    ) -> requests.Response:
        """Post `form` with `changes` applied, pressing `button` (its name) if given."""
        for name, value in (changes or {}).items():
            form.set(name, value)
        data = list(form.fields)
        if button is not None:
            value = dict(form.buttons).get(button)
            if value is None:
                raise HTTPProblem(f"The form has no button {button!r}: {form.buttons}")
            data.append((button, value))
        if TOKEN_FIELD not in dict(data):
            raise HTTPProblem(f"The form on {form.page} has no CSRF token")
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(form.action))
        headers = {"Referer": form.page, "Origin": origin}
        kwargs.setdefault("timeout", TIMEOUT)
        if files is None and "multipart" in form.enctype:
            # A browser posts a multipart form as multipart even without a file.
            files = {"__erfa_none__": ("", b"")}
        return self.session.post(
            form.action,
            data=data,
            files=files,
            headers=headers,
            allow_redirects=allow_redirects,
            **kwargs,
        )

    # --- Accounts -----------------------------------------------------------------------

    def login(
        self, email: str, password: str, *, totp_secret: str | None = None, base: str | None = None
    ) -> requests.Response:
        """allauth's login form, then the code step when the account has a second
        factor. Returns the last response (a redirect when it worked)."""
        form = self.open_form("/konto/login/", base=base)
        response = self.submit(form, {"login": email, "password": password})
        if response.status_code != 302:
            return response
        target = urljoin(response.url, response.headers["Location"])
        if "/2fa/" in target and totp_secret is not None:
            from tests.mfa import totp_code  # needs Django's apps: imported when used

            # A code is taken once; the next step's code is valid too (tests/e2e/login.py).
            for step in (0, 1):
                form = self.open_form(target)
                response = self.submit(form, {"code": totp_code(totp_secret, step=step)})
                if response.status_code == 302:
                    break
        return response

    def is_logged_in(self, *, base: str | None = None) -> bool:
        """Min side answers (200) only to someone signed in; others go to the login."""
        response = self.get("/min-side/", base=base, allow_redirects=False)
        if response.status_code == 200:
            return True
        if response.status_code == 302 and "/konto/login/" in response.headers["Location"]:
            return False
        raise HTTPProblem(f"/min-side/ answered {response.status_code}")

    def cookie(self, name: str) -> str | None:
        return self.session.cookies.get(name)


def text_of(html: str) -> str:
    """The page's text with tags dropped and whitespace folded (for `in` checks)."""
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    from html import unescape

    return re.sub(r"\s+", " ", unescape(text)).strip()
