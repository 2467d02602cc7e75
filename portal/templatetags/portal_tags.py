from django import template

from portal.chrome import site_chrome as chrome_for

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """`{% site_chrome as chrome %}`: the header's, menu's and footer's data, from the
    cache (`portal.chrome`)."""
    return chrome_for(context.get("request"))


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """Top-level pages marked "show in menus", the current section marked."""
    chrome = chrome_for(context.get("request"))
    current_path = getattr(context.get("page"), "path", "")
    items = chrome.menu if chrome else ()
    return {"items": [(item, current_path.startswith(item.path)) for item in items]}


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
