from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from portal import tree_cache

        from .models import MeetingMaterial, Venue

        def forget(**kwargs):
            tree_cache.forget()

        # The network page's cached meeting list shows each meeting's venue
        # (meetings.templatetags.meetings_tags.network_meetings); pages forget it themselves.
        post_save.connect(forget, sender=Venue, weak=False, dispatch_uid="meetings.venue.save")
        post_delete.connect(forget, sender=Venue, weak=False, dispatch_uid="meetings.venue.delete")
        # The meeting page keeps its list of materials (MeetingPage._kept_parts); they are
        # saved with the page, but forget it too when one is saved on its own.
        for signal in (post_save, post_delete):
            signal.connect(
                forget,
                sender=MeetingMaterial,
                weak=False,
                dispatch_uid=f"meetings.material.{signal is post_save}",
            )

        # Min side's kept lists of meetings (wagtail_hooks.my_registrations) show the
        # person's and their colleagues' registrations and names.
        from django.contrib.auth import get_user_model

        from .models import Registration
        from .services import REGISTRATIONS_VERSION

        def forget_registrations(**kwargs):
            tree_cache.forget(REGISTRATIONS_VERSION)

        for model in (Registration, get_user_model()):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_registrations,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"meetings.registrations.{model.__name__}.{signal is post_save}",
                )

        # Change notices: each publication of a meeting may raise its calendar SEQUENCE.
        from wagtail.signals import page_published

        from .notices import on_page_published

        page_published.connect(on_page_published, dispatch_uid="meetings.notices.published")
