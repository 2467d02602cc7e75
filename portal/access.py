"""Portal-wide access rules (one function per rule; views, middleware and templates ask
these, never `is_staff` directly)."""

ADMIN_PERMISSION = "wagtailadmin.access_admin"


def can_enter_admin(user) -> bool:
    """Editors, moderators, reviewers and superusers: everyone Wagtail lets into the admin,
    and staff whom Django's admin lets in."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_staff or user.has_perm(ADMIN_PERMISSION)


def must_use_mfa(user) -> bool:
    """Anyone who can enter the admin signs in with a second factor before it opens.
    Members may turn it on; they are not made to."""
    return can_enter_admin(user)
