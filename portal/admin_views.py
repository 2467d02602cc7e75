"""The Wagtail admin's user screens, with the portal's own profile fields.

Wagtail's stock forms handle the e-mail-only user already (e-mail is USERNAME_FIELD);
these add job title and phone, so editors see the same profile a person edits on
"Min side". Wired in through `portal.apps.PortalUsersAppConfig`.
"""

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
