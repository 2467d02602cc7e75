"""Page addresses (slugs) editors can read, and a way back to an abandoned draft.

Danish titles become ASCII slugs the Danish way, "Årsmøde for æresmedlemmer" →
"aarsmoede-for-aeresmedlemmer", not "%C3%A5rsm%C3%B8de…" (WAGTAIL_ALLOW_UNICODE_SLUGS is
off) nor Wagtail's "arsmde" (its transliteration drops ø and turns å into a):

- in the browser, the slug field (`DanishSlugInput`, registered for every SlugField in
  the admin) runs Wagtail's own slug code after replacing æ, ø and å;
- on the server, `PortalPageForm` (the base form of every page type) turns what arrives
  into the same slug, or makes one from the title when the slug is empty.

Wagtail 8 autosaves a draft while an editor types a title on the "add" view. Whoever
leaves and creates the page again meets their own draft at the same address. Then the
form says so in Danish, links to that draft (continue there) and offers the next free
address, instead of Wagtail's English "The slug … is already in use".
"""

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.admin.forms.pages import WagtailAdminPageForm
from wagtail.admin.widgets.slug import SlugInput
from wagtail.models import Page

DANISH_LETTERS = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "é": "e", "É": "E"}
)
# The same replacements for the slug field's JavaScript ([regex, replacement] pairs).
SLUG_FORMATTERS = [("[æÆ]", "ae"), ("[øØ]", "oe"), ("[åÅ]", "aa")]


def danish_slugify(text: str) -> str:
    """ASCII slug of `text`, with æ→ae, ø→oe, å→aa."""
    return slugify(str(text).translate(DANISH_LETTERS))


def free_slug(base: str, parent: Page, instance: Page | None = None) -> str:
    candidate, suffix = base, 1
    while not Page._slug_is_available(candidate, parent, instance):
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


class DanishSlugInput(SlugInput):
    def __init__(self, attrs=None, formatters=None, locale=None):
        super().__init__(attrs, formatters=formatters or SLUG_FORMATTERS, locale=locale)


class PortalPageForm(WagtailAdminPageForm):
    """Every page type's admin form (set as `Page.base_form_class` in PortalConfig)."""

    def clean(self):
        typed = self.data.get(self.add_prefix("slug"), "").strip()
        title = self.cleaned_data.get("title") or ""
        # A slug the editor typed or the browser made ("møde", or empty without
        # JavaScript) becomes the Danish ASCII one; a page's existing slug is left alone,
        # so saving an old page never moves its address.
        if typed != (self.instance.slug or "") or not typed:
            wanted = danish_slugify(typed or title)
            if wanted:
                self.cleaned_data["slug"] = wanted
                self.errors.pop("slug", None)  # e.g. "This field is required."
        if "slug" in self.cleaned_data and self.parent_page is not None:
            taken = self._sibling_with_slug(self.cleaned_data["slug"])
            if taken is not None:
                self._explain_taken_slug(taken)
                self.cleaned_data.pop("slug", None)
        return super().clean()

    def _sibling_with_slug(self, slug: str) -> Page | None:
        siblings = self.parent_page.get_children().filter(slug=slug)
        if self.instance and self.instance.pk:
            siblings = siblings.exclude(pk=self.instance.pk)
        return siblings.first()

    def _explain_taken_slug(self, taken: Page) -> None:
        slug = self.cleaned_data["slug"]
        edit_url = reverse("wagtailadmin_pages:edit", args=[taken.pk])
        suggestion = free_slug(slug, self.parent_page, self.instance)
        if not taken.live and taken.first_published_at is None:
            text = _(
                "The address “%(slug)s” belongs to a draft that was never published: "
                "“%(title)s”. Continue in that draft, or give this page another "
                "address, e.g. “%(suggestion)s”."
            )
        else:
            text = _(
                "The address “%(slug)s” is already used by the page “%(title)s”. "
                "Give this page another address, e.g. “%(suggestion)s”."
            )
        message = format_html(
            '{} <a href="{}">{}</a>',
            text % {"slug": slug, "title": taken.draft_title, "suggestion": suggestion},
            edit_url,
            _("Open “%(title)s”") % {"title": taken.draft_title},
        )
        self.add_error("slug", forms.ValidationError(message, code="slug_in_use"))
