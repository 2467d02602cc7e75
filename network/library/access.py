"""Who the viewer is, for the visibility rules. Member status comes from the network
app (`network.services`), never from here.

Both answers are cached on the user object, like Django caches permissions: the object
lives for one request, so a change of membership shows from the next request on.
"""

from django.utils import timezone

REVIEW_PERMISSION = "library.view_agreement"
DECIDE_PERMISSION = "library.change_agreement"


def can_review_agreements(user) -> bool:
    """Staff who review agreements (Wagtail's Editors and Moderators groups, superusers)
    see every submitted answer."""
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(REVIEW_PERMISSION))


def can_decide_agreements(user) -> bool:
    """Edit submitted answers and publish or reject them: reviewers who may also change
    agreements (Wagtail's Editors and Moderators groups, superusers). The admin's edit
    form, its Publish/Reject actions, the dashboard and `services` all ask this."""
    return can_review_agreements(user) and user.has_perm(DECIDE_PERMISSION)


def is_editor(user) -> bool:
    """People who use the Wagtail admin; they check member-only material they publish."""
    return bool(
        getattr(user, "is_authenticated", False) and user.has_perm("wagtailadmin.access_admin")
    )


def is_network_member(user) -> bool:
    """Is the person a member of any network today?"""
    if not getattr(user, "is_authenticated", False):
        return False
    today = timezone.localdate()
    cached = getattr(user, "_library_member_cache", None)
    if cached is not None and cached[0] == today:
        return cached[1]
    from network.services import is_member_of_any_network

    answer = is_member_of_any_network(user, on=today)
    user._library_member_cache = (today, answer)
    return answer
