"""Who may do what in the portal itself: one function per action, from Django/Wagtail
permissions (never `is_staff`)."""

from __future__ import annotations

ACCESS_ADMIN = "wagtailadmin.access_admin"


def can_open_admin(user) -> bool:
    """Enter the Wagtail admin: Wagtail's own permission (editors, moderators, staff)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", True)
        and user.has_perm(ACCESS_ADMIN)
    )


def must_use_mfa(user) -> bool:
    """Anyone who can enter the admin signs in with a second factor before it opens
    (portal.middleware.AdminRequiresMFAMiddleware). Members may turn it on; they are not
    made to."""
    return can_open_admin(user)
