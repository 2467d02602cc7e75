from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PortalConfig(AppConfig):
    default = True  # this module holds two configs; "portal" in INSTALLED_APPS means this one
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # Readable Danish page addresses for every slug field in the admin (see
        # portal/slugs.py; the page form itself is set in portal/wagtail_hooks.py, after
        # wagtail.admin's own ready() has set Wagtail's).
        from django.db import models
        from wagtail.admin.forms.models import register_form_field_override

        from . import checks  # noqa: F401  (registers the portal's system checks)
        from .auth_backends import connect_permission_signals
        from .signals import connect_cache_signals
        from .slugs import DanishSlugInput

        register_form_field_override(models.SlugField, override={"widget": DanishSlugInput})
        connect_cache_signals()  # cached chrome forgotten on publish, move, delete, settings
        connect_permission_signals()  # cached permissions forgotten when any are changed


class PortalUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the portal's user forms (see `portal.admin_views`)."""

    user_viewset = "portal.admin_views.UserViewSet"
