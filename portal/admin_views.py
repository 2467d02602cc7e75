"""The Wagtail admin's user screens, with the portal's own profile fields, and the
dashboard panel every app uses to show what waits for staff.

Wagtail's stock forms handle the e-mail-only user already (e-mail is USERNAME_FIELD);
these add job title and phone, so editors see the same profile a person edits on
"Min side". Wired in through `portal.apps.PortalUsersAppConfig`.
"""

from dataclasses import dataclass

from wagtail.admin.ui.components import Component
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

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
