"""An editor panel on the meeting page: confirmed / capacity / waitlist / trial used."""

from django.urls import reverse
from wagtail.admin.panels import Panel

from .access import can_manage_registrations


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
            index = reverse("meeting_registrations:index") + f"?meeting={meeting.pk}"
            context["registrations_url"] = index
            context["participants_url"] = reverse("meetings_admin:participants", args=[meeting.pk])
            if can_manage_registrations(self.request.user):
                context["check_in_url"] = reverse(
                    "meeting_registrations:check_in", args=[meeting.pk]
                )
            # The listing's own spreadsheet export, limited to this meeting's participants.
            context["export_csv_url"] = f"{index}&status=confirmed&export=csv"
            context["export_xlsx_url"] = f"{index}&status=confirmed&export=xlsx"
            # After the meeting: its evaluation (meetings.evaluation_admin).
            from .access import can_see_evaluation

            if meeting.is_past() and can_see_evaluation(self.request.user, meeting):
                context["evaluation_url"] = reverse("meeting_evaluation:results", args=[meeting.pk])
            # Change notices: published changes registrants were not told, and the latest.
            from .admin_notices import summary_context

            context.update(summary_context(meeting, self.request.user))
            return context
