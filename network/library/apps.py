from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """Agreements (questionnaire, library, national overview) and inspiration material.

    A separate app inside the `network` package so that its migrations stay independent
    of the network app's own.
    """

    name = "network.library"
    label = "library"
    verbose_name = _("Agreements and inspiration")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .fragments import connect_signals

        connect_signals()
