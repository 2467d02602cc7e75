from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")


class PortalUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the portal's user forms (see `portal.admin_views`)."""

    user_viewset = "portal.admin_views.UserViewSet"
