"""The Wagtail admin's user screens, with the portal's own profile fields, and the
dashboard panel every app uses to show what waits for staff.

Wagtail's stock forms handle the e-mail-only user already (e-mail is USERNAME_FIELD);
these add job title and phone, so editors see the same profile a person edits on
"Min side". Wired in through `portal.apps.PortalUsersAppConfig`. Also the read-only
listing of outgoing e-mail (Settings → "Udgående e-mail").
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .models import OutgoingEmail

PROFILE_FIELDS = ["job_title", "phone"]


class PortalUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PROFILE_FIELDS)


class PortalUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PROFILE_FIELDS)


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm


# --- Dashboard --------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingItem:
    text: str
    url: str


class WaitingPanel(Component):
    """A dashboard panel of what waits for staff, each line linking to the filtered
    listing. Build one with the items the user may act on; it shows nothing when no item
    waits."""

    template_name = "portal/admin/waiting_panel.html"

    def __init__(self, *, name: str, heading: str, items: list[WaitingItem], order: int = 50):
        self.name = name
        self.heading = heading
        self.items = items
        self.order = order

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if self.items else ""

    def get_context_data(self, parent_context):
        return {
            "panel_id": self.name.replace("_", "-"),
            "heading": self.heading,
            "items": self.items,
        }


# --- Outgoing e-mail (the e-mail pipeline's log) --------------------------------------


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Look, never touch: the rows are written by the e-mail pipeline only. Seeing them
    (recipients are personal data) takes `portal.view_outgoingemail`: superusers, or
    whoever is given it in Settings → Groups."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"])


class OutgoingEmailViewSet(ModelViewSet):
    model = OutgoingEmail
    name = "outgoing_email"
    url_prefix = "udgaaende-email"
    icon = "mail"
    menu_label = gettext_lazy("Outgoing e-mail")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50
    search_fields = ["subject", "recipients"]
    list_filter = ["status"]
    form_fields = ["subject"]  # required by ModelViewSet; its add/edit views always refuse
    list_display = [
        "subject",
        "recipients",
        Column("status", label=gettext_lazy("status"), accessor="get_status_display"),
        "attempts",
        "created_at",
        "sent_at",
        "next_attempt_at",
    ]
    inspect_view_fields = [
        "subject",
        "recipients",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "next_attempt_at",
        "last_error",
    ]
