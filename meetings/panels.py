"""An editor panel on the meeting page: confirmed / capacity / waitlist / trial used."""

from django.urls import reverse
from wagtail.admin.panels import Panel


class RegistrationSummaryPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "meetings/admin/registration_summary_panel.html"

        def is_shown(self):
            # A meeting that is being created has no registrations yet.
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            meeting = self.instance
            context["summary"] = meeting.registration_summary()
            context["registrations_url"] = (
                reverse("meetings_registration:index") + f"?meeting={meeting.pk}"
            )
            context["participants_url"] = reverse("meetings_admin:participants", args=[meeting.pk])
            context["export_csv_url"] = reverse("meetings_admin:export", args=[meeting.pk, "csv"])
            context["export_xlsx_url"] = reverse("meetings_admin:export", args=[meeting.pk, "xlsx"])
            return context
