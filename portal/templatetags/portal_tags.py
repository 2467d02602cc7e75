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
    from portal.access import can_enter_admin as rule

    return rule(user)
