from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """Top-level pages marked "show in menus": one query, whatever the number of items."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    if site is not None:
        items = list(site.root_page.get_children().live().public().in_menu())
    current_path = getattr(context.get("page"), "path", "")
    return {
        "items": [(item, current_path.startswith(item.path)) for item in items],
        "request": request,
    }


@register.filter
def can_enter_admin(user) -> bool:
    """`{% if user|can_enter_admin %}`: the rule in `portal.access`, for links only."""
    from portal.access import can_open_admin as rule

    return rule(user)


def privacy_page_for(request):
    """The privacy policy page chosen in the site settings, when it is live."""
    from portal.models import SiteSettings

    if request is None:
        return None
    cache = getattr(request, "_privacy_page", False)
    if cache is not False:
        return cache
    page = SiteSettings.for_request(request).privacy_page
    page = page if page is not None and page.live else None
    request._privacy_page = page
    return page


@register.inclusion_tag("includes/privacy_notice.html", takes_context=True)
def privacy_notice(context):
    """ "Læs hvordan vi behandler dine oplysninger", near the submit button of every form
    that collects personal data."""
    return {"privacy_page": privacy_page_for(context.get("request"))}


@register.simple_tag(takes_context=True)
def privacy_page_url(context):
    page = privacy_page_for(context.get("request"))
    return page.get_url(context.get("request")) if page else ""
