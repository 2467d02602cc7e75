"""Wagtail admin wiring of the portal itself (each app has its own wagtail_hooks.py)."""

from wagtail import hooks
from wagtail.models import Page

from . import audit, audit_actions, mfa  # noqa: F401 (audit_actions declares)
from . import hooks as portal_hooks
from .slugs import PortalPageForm


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    # Apps declare their actions with audit.action() in modules their wagtail_hooks import,
    # so every declaration is in place before Wagtail first scans this hook.
    audit.register(actions)


@hooks.register(portal_hooks.MY_PAGE_SECTIONS)
def two_factor_section(request):
    return mfa.my_page_section(request)


@hooks.register("register_admin_urls")
def use_the_portal_page_form():
    """Every page type's editor uses `portal.slugs.PortalPageForm` as its base form
    (Danish ASCII slugs; a Danish message that links to an abandoned draft holding the
    address). wagtail.admin's AppConfig.ready() sets `Page.base_form_class` to Wagtail's
    own form and may run after this module is first imported, so the portal's is set when
    the admin's URLs are built: after every app is ready, before any page form exists."""
    Page.base_form_class = PortalPageForm
    return []


@hooks.register("register_admin_viewset")
def register_outgoing_email_viewset():
    from wagtail.permissions import register_permission_policy

    from .admin_views import OutgoingEmailViewSet, ReadOnlyPermissionPolicy
    from .models import OutgoingEmail

    register_permission_policy(OutgoingEmail, ReadOnlyPermissionPolicy(OutgoingEmail))
    return OutgoingEmailViewSet()
