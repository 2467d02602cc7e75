"""Shared StreamField blocks for content pages.

Blocks never read settings (that would produce a new migration whenever they change).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class LinkStructValue(blocks.StructValue):
    @property
    def href(self) -> str:
        page = self.get("page")
        if page:
            return page.url or ""
        return self.get("url") or ""

    @property
    def text(self) -> str:
        page = self.get("page")
        return self.get("label") or (page.title if page else self.get("url", ""))


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Link text"), required=False, max_length=120)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("External address"), required=False)

    class Meta:
        icon = "link"
        value_class = LinkStructValue
        template = "portal/blocks/link_block.html"
        preview_value = {"label": "Søger du bolig? Klik her", "url": "https://example.org"}

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("Choose either a page or an external address."))
                }
            )
        return value


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3")), ("h4", _("Heading 4"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "portal/blocks/heading_block.html"
        preview_value = {"text": "Boligsocial monitorering", "level": "h2"}


class DocumentLinksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    documents = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("document", DocumentChooserBlock(label=_("Document"))),
                ("title", blocks.CharBlock(label=_("Title"), required=False)),
            ],
            icon="doc-full",
        ),
        label=_("Documents"),
    )

    class Meta:
        icon = "doc-full-inverse"
        template = "portal/blocks/document_links_block.html"
        preview_value = {"heading": "Materialer", "documents": []}


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), required=False)
    link = LinkBlock(label=_("Link"))

    class Meta:
        icon = "pick"
        template = "portal/blocks/call_to_action_block.html"
        preview_value = {
            "title": "Tilmeld jeres kommune",
            "text": "Bliv medlem af netværket for det kommende år.",
            "link": {"label": "Tilmeld", "url": "https://example.org"},
        }


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "portal/blocks/quote_block.html"
        preview_value = {
            "quote": "Dialogen med de andre kommuner gav os nye greb.",
            "attribution": "Netværksdeltager",
        }


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        icon="pilcrow",
        template="portal/blocks/paragraph_block.html",
        preview_value="<p>Netværket mødes fire gange om året.</p>",
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"],
    )
    image = ImageBlock(label=_("Image"), template="portal/blocks/image_block.html")
    documents = DocumentLinksBlock()
    call_to_action = CallToActionBlock()
    quote = QuoteBlock()
    table = TableBlock(
        label=_("Table"),
        template="portal/blocks/table_block.html",
        preview_value={
            "data": [["Emne", "Tid"], ["Velkomst", "9.30"]],
            "first_row_is_table_header": True,
        },
    )

    class Meta:
        template = "portal/blocks/body_stream_block.html"
