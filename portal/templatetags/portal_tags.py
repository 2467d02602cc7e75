from django import template
from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import forms_rendering
from portal.chrome import Link
from portal.chrome import site_chrome as chrome_for

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """`{% site_chrome as chrome %}`: the header's, menu's and footer's data, from the
    cache (`portal.chrome`)."""
    return chrome_for(context.get("request"))


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page_obj, param="page", label="", anchor=""):
    """Numbered links to the pages of `page_obj` (first, last and two either side of the
    current one), keeping the rest of the query string, so filters and other listings'
    pages on the same page stay as they are. `param` names the page parameter (Min side
    pages several lists at once); `anchor` brings the reader back to the list."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    paginator = page_obj.paginator

    def url(number: int) -> str:
        query[param] = number
        return f"?{query.urlencode()}{'#' + anchor if anchor else ''}"

    pages = []
    if paginator.num_pages > 1:
        for number in paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1):
            if number == Paginator.ELLIPSIS:
                pages.append({"ellipsis": True})
            else:
                pages.append(
                    {"number": number, "url": url(number), "current": number == page_obj.number}
                )
    return {
        "page_obj": page_obj,
        "pages": pages,
        "previous_url": url(page_obj.previous_page_number()) if page_obj.has_previous() else "",
        "next_url": url(page_obj.next_page_number()) if page_obj.has_next() else "",
        "label": label or _("Pages"),
    }


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context, phone=False):
    """Top-level pages marked "show in menus", the current section marked; `phone=True`
    for the copy in DKFDS's phone menu (the drawer), shown only when the other is not."""
    chrome = chrome_for(context.get("request"))
    current_path = getattr(context.get("page"), "path", "")
    items = chrome.menu if chrome else ()
    return {
        "items": [(item, current_path.startswith(item.path)) for item in items],
        "phone": phone,
    }


@register.filter
def can_enter_admin(user) -> bool:
    """`{% if user|can_enter_admin %}`: the rule in `portal.access`, for links only."""
    from portal.access import can_open_admin as rule

    return rule(user)


def privacy_url_for(request) -> str:
    """The address of the privacy policy page chosen in the site settings, when it is
    live (else "")."""
    chrome = chrome_for(request)
    return chrome.privacy_url if chrome else ""


@register.inclusion_tag("includes/privacy_notice.html", takes_context=True)
def privacy_notice(context):
    """ "Læs hvordan vi behandler dine oplysninger", near the submit button of every form
    that collects personal data."""
    return {"privacy_url": privacy_url_for(context.get("request"))}


@register.simple_tag(takes_context=True)
def privacy_page_url(context):
    return privacy_url_for(context.get("request"))


@register.simple_tag(takes_context=True)
def legal_links(context):
    """`{% legal_links as links %}`: the footer's links to the accessibility statement,
    the privacy policy and its cookie statement (each a `Link` with `href` and `text`,
    in the visitor's language; a page not chosen in the site settings or not live is
    left out). Every page's footer shows them."""
    chrome = chrome_for(context.get("request"))
    if chrome is None:
        return []
    links = []
    if chrome.accessibility_url:
        links.append(Link(chrome.accessibility_url, _("Accessibility statement")))
    if chrome.privacy_url:
        links.append(Link(chrome.privacy_url, _("Privacy policy")))
        links.append(Link(f"{chrome.privacy_url}#cookies", _("Cookies")))
    return links


@register.filter(expects_localtime=True)
def long_date(value) -> str:
    """`{{ meeting.local_start|long_date }}`: the date with its weekday in the visitor's
    language: "onsdag 8. december 2021", "Wednesday 8 December 2021"."""
    if not value:
        return ""
    return f"{date_format(value, 'l')} {date_format(value, 'DATE_FORMAT')}"


# Forms: DKFDS markup (portal/forms_rendering.py renders every field; these are its helpers).


@register.filter
def dkfds_widget(field):
    """`{{ field|dkfds_widget }}`: the widget with DKFDS's class for its type."""
    return forms_rendering.render_widget(field)


@register.filter
def dkfds_choices(field):
    """`{% for choice in field|dkfds_choices %}`: a radio or checkbox group's options."""
    return forms_rendering.choices(field)


@register.filter
def field_kind(field) -> str:
    """ "radio", "checkbox" (groups), "fieldset", "single-checkbox" or "input"."""
    return forms_rendering.field_kind(field)


@register.filter
def requirement(field) -> str:
    """ "required", "optional" or "" (portal.forms_rendering.requirement)."""
    return forms_rendering.requirement(field)


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms):
    """`{% error_summary form %}` after the page's H1: DKFDS's error summary, listing
    and linking every error of the given forms (nothing when there is none)."""
    flat = []
    for form in forms:
        flat += form if isinstance(form, (list, tuple)) else [form]
    return {"items": forms_rendering.summary_items(*flat)}


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """ "Fejl: " before the page title when a form on the page was sent with errors."""
    return (
        _("Error:") + " " if forms_rendering.any_form_in_error(context.flatten().values()) else ""
    )


class TableRegionNode(template.Node):
    def __init__(self, nodelist, kwargs):
        self.nodelist = nodelist
        self.kwargs = kwargs

    def render(self, context):
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        return template.loader.render_to_string(
            "includes/table_region.html",
            {
                "table": self.nodelist.render(context),
                "labelledby": values.get("labelledby", ""),
                "label": values.get("label", ""),
            },
        )


@register.tag
def tableregion(parser, token):
    """`{% tableregion labelledby="caption-id" %}<table>…</table>{% endtableregion %}`
    (or `label="…"`; the region is named "Tabel" and that): the one pattern for a data table that may be wider than a phone
    (docs/architecture.md). The table scrolls inside a region with a name that the
    keyboard reaches (tabindex 0, a visible focus ring), and a hint "Rul sidelæns…"
    shows only while the table is wider than its box (CSS; portal/tables.js does the
    same where the browser lacks scroll-driven animations)."""
    bits = token.split_contents()[1:]
    kwargs = template.base.token_kwargs(bits, parser)
    if bits or len(kwargs) != 1 or set(kwargs) - {"labelledby", "label"}:
        raise template.TemplateSyntaxError(
            '{% tableregion %} takes labelledby="id" or label="text" only'
        )
    nodelist = parser.parse(("endtableregion",))
    parser.delete_first_token()
    return TableRegionNode(nodelist, kwargs)
