"""Who may do what with meetings: one function per action, used by the page, the views,
the admin and the services alike (precedent: `network.library.access`).

Staff are judged by Wagtail/Django permissions (`user.has_perm`), never by `is_staff`.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from network.models import Organisation

REGISTRATIONS_PERMISSION = "meetings.view_registration"
CHANGE_REGISTRATIONS_PERMISSION = "meetings.change_registration"


def manages_meeting(user, meeting) -> bool:
    """Staff for this meeting: people who may see its registrations (Wagtail's Editors and
    Moderators, superusers) or edit its page in Wagtail."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.has_perm(REGISTRATIONS_PERMISSION):
        return True
    if meeting.pk is None:
        return False
    from portal.auth_backends import in_a_group

    # Wagtail's page permissions and workflow tasks come only through groups: someone in
    # none (every member) may edit no page, known without asking Wagtail (two queries).
    if not user.is_superuser and not in_a_group(user):
        return False
    return meeting.permissions_for_user(user).can_edit()


# --- Materials (slides, minutes) -------------------------------------------------------


@dataclass(frozen=True)
class MaterialAccess:
    """May the person open the meeting's materials, and if not, why not.

    `reason` is "" when allowed, else one of "anonymous" (log in), "not_attendee" (the
    editor keeps them for participants) or "not_member" (members of the network only)."""

    allowed: bool
    reason: str = ""

    def __bool__(self):
        return self.allowed


def attended(user, meeting) -> bool:
    """Had a confirmed seat at the meeting or was checked in at the door."""
    from django.db.models import Q

    from .models import Registration

    return meeting.registrations.filter(
        Q(status=Registration.Status.CONFIRMED) | Q(attended_at__isnull=False), person=user
    ).exists()


def material_access(user, meeting, *, today: datetime.date | None = None) -> MaterialAccess:
    """The one rule for a meeting's materials, as a coordinator decides it:

    - staff for the meeting (`manages_meeting`) always, also before it is published;
    - otherwise only on a live, public meeting page:
      - its attendees always;
      - when the editor chose "members of the network": members of the network now or in
        the meeting's year (minutes stay with those who were members then, and reach
        those who joined since).
    """
    if not getattr(user, "is_authenticated", False):
        return MaterialAccess(False, "anonymous")
    if manages_meeting(user, meeting):
        return MaterialAccess(True)
    from portal.visibility import is_public

    if not (meeting.live and is_public(meeting)):
        return MaterialAccess(False, "not_published")
    if attended(user, meeting):
        return MaterialAccess(True)
    if meeting.materials_audience == meeting.MaterialsAudience.ATTENDEES:
        return MaterialAccess(False, "not_attendee")
    network = meeting.cached_network
    if network is not None:
        today = today or timezone.localdate()
        for day in dict.fromkeys([today, meeting.date]):
            if Organisation.objects.verified_for(user).members_of(network, on=day).exists():
                return MaterialAccess(True)
    return MaterialAccess(False, "not_member")


def can_open_material(user, material) -> bool:
    """The access rule of `MeetingMaterial.file` (see `portal.private_files`)."""
    return material_access(user, material.meeting).allowed


# --- Registrations (the admin's listing and row actions, cancelling) --------------------


def can_view_registrations(user) -> bool:
    """See the registrations listing, the exports and the printable participant list."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(
        REGISTRATIONS_PERMISSION
    )


def can_manage_registrations(user) -> bool:
    """Check people in, move them from the waitlist, cancel anyone's seat, register
    anyone (Wagtail's Editors and Moderators, migration 0002)."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(
        CHANGE_REGISTRATIONS_PERMISSION
    )


def can_cancel_registration(user, registration) -> bool:
    """The participant, the colleague who registered them, or a coordinator."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.pk in (
        registration.person_id,
        registration.registered_by_id,
    ) or can_manage_registrations(user)


# --- Change notices and messages to people ------------------------------------------------


def can_send_change_notice(user, meeting) -> bool:
    """Tell a meeting's registrants what changed: whoever may publish the meeting page,
    or manage registrations."""
    if not getattr(user, "is_authenticated", False):
        return False
    if can_manage_registrations(user):
        return True
    return manages_meeting(user, meeting) and meeting.permissions_for_user(user).can_publish()


def can_send_messages(user) -> bool:
    """Compose and send messages to a meeting's participants or a network's members, and
    read the messages sent (the admin's "Beskeder"): those who manage registrations."""
    return can_manage_registrations(user)


def can_decide_registration(user, registration=None) -> bool:
    """Approve or decline a request on a meeting that needs approval: whoever manages
    registrations (the same staff who move people from the waitlist)."""
    return can_manage_registrations(user)


def can_send_colleague(user, registration) -> bool:
    """Hand a confirmed seat to a colleague: the participant, or a coordinator."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.pk == registration.person_id or can_manage_registrations(user)


def can_answer_offer(user, registration) -> bool:
    """Accept or decline a seat offered from the waitlist: the person it is offered to."""
    return bool(getattr(user, "is_authenticated", False)) and user.pk == registration.person_id


# --- Evaluation after the meeting ------------------------------------------------------


def can_see_evaluation(user, meeting) -> bool:
    """Read a meeting's evaluation (averages, distributions, the comments), export it and
    publish or take down its summary on the meeting page: staff for the meeting
    (`manages_meeting`). Members never see the answers, only a published summary."""
    return manages_meeting(user, meeting)
