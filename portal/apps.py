from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from . import checks  # noqa: F401  (registers the portal's system checks)


class PortalUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the portal's user forms (see `portal.viewsets`)."""

    user_viewset = "portal.viewsets.UserViewSet"
