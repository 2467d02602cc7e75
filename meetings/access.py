"""Who may do what with registrations. One function per action, from Django/Wagtail
permissions (Wagtail's Editors and Moderators groups hold them, see migration 0002), used
by the admin's buttons, the admin views, the public views and the services alike."""

VIEW_PERMISSION = "meetings.view_registration"
CHANGE_PERMISSION = "meetings.change_registration"


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_view_registrations(user) -> bool:
    """See the registrations listing, the exports and the printable participant list."""
    return _authenticated(user) and user.has_perm(VIEW_PERMISSION)


def can_manage_registrations(user) -> bool:
    """Check people in, move them from the waitlist, cancel or register anyone."""
    return _authenticated(user) and user.has_perm(CHANGE_PERMISSION)


def can_cancel_registration(user, registration) -> bool:
    """The participant, the colleague who registered them, or a coordinator."""
    if not _authenticated(user):
        return False
    return user.pk in (
        registration.person_id,
        registration.registered_by_id,
    ) or can_manage_registrations(user)
