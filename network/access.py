"""Who may do what in the network app: one function per action, from Django/Wagtail
permissions (never `is_staff`), used by the admin's buttons and bulk actions, the
dashboard, the public views and `network.services` alike.

Wagtail's Editors and Moderators groups hold these permissions (migration 0003);
superusers hold every permission. A person who is neither may still decide affiliation
requests for an organisation where they are the verified contact person.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

# This module imports no network models: `network.models` builds on it (the affiliation
# queryset and the network page ask these rules), so the models are looked up by name.


def _model(name: str):
    return apps.get_model("network", name)


# Approving is a change of status: whoever may change a membership / an affiliation in the
# admin may approve it. Seeing everyone's affiliations in the admin lets a coordinator
# see every network's members' directory too.
APPROVE_MEMBERSHIPS = "network.change_membership"
VIEW_MEMBERSHIPS = "network.view_membership"
DECIDE_AFFILIATIONS = "network.change_affiliation"
VIEW_DIRECTORIES = "network.view_affiliation"


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", True))


# --- Memberships -------------------------------------------------------------------------


def can_approve_memberships(user) -> bool:
    """Approve applied memberships (and cancel any applied or active one): the
    coordinators."""
    return _authenticated(user) and user.has_perm(APPROVE_MEMBERSHIPS)


def can_cancel_membership(user, membership) -> bool:
    """A coordinator cancels an applied or active membership; a person verified in the
    organisation may withdraw its application while it is only applied."""
    if not _authenticated(user):
        return False
    if can_approve_memberships(user):
        return True
    return membership.status == membership.Status.APPLIED and is_verified_in(
        user, membership.organisation
    )


def is_verified_in(user, organisation) -> bool:
    """Has `user` a verified affiliation with `organisation` (signs it up, renews or
    cancels its membership for the coming year)?"""
    if not _authenticated(user):
        return False
    return _model("Organisation").objects.verified_for(user).filter(pk=organisation.pk).exists()


def can_see_rollover_report(user) -> bool:
    """The rollover report (renewed, not answered, cancelled, new per network and year):
    whoever may see memberships in the admin."""
    return _authenticated(user) and user.has_perm(VIEW_MEMBERSHIPS)


def can_download_invoices(user) -> bool:
    """Download a membership's e-invoice, or a year's in one zip: whoever approves the
    memberships (the admin's buttons and the download views both ask this)."""
    return can_approve_memberships(user)


# --- Affiliations ------------------------------------------------------------------------


def can_decide_all_affiliations(user) -> bool:
    """Approve or decline any affiliation request: the coordinators."""
    return _authenticated(user) and user.has_perm(DECIDE_AFFILIATIONS)


def affiliations_decidable_by(user, affiliations: QuerySet) -> QuerySet:
    """The affiliations in `affiliations` that `user` may decide: all for a coordinator,
    their own organisations' for a verified contact person (never their own request)."""
    if not _authenticated(user):
        return affiliations.none()
    if can_decide_all_affiliations(user):
        return affiliations
    Affiliation = _model("Affiliation")
    contact_of = Affiliation.objects.verified().filter(
        person=user, role=Affiliation.Role.CONTACT_PERSON
    )
    return affiliations.filter(organisation__in=contact_of.values("organisation")).exclude(
        person=user
    )


def decides_for_organisation(user, affiliation) -> bool:
    """Is `user` among those who decide requests like this one (a coordinator, or a
    verified contact person of its organisation, never for their own), whatever its
    status?"""
    Affiliation = _model("Affiliation")
    if not _authenticated(user):
        return False
    if can_decide_all_affiliations(user):
        return True
    return (affiliations_decidable_by(user, Affiliation.objects.filter(pk=affiliation.pk))).exists()


def can_decide_affiliation(user, affiliation) -> bool:
    """May `user` approve or decline this request? Only a request that waits (status
    `requested`) is decided this way; a decided affiliation is changed only through
    `can_change_decided_affiliation`."""
    return affiliation.status == affiliation.Status.REQUESTED and decides_for_organisation(
        user, affiliation
    )


def can_change_decided_affiliation(user) -> bool:
    """Revoke a verified affiliation or restore a rejected one, with a reason the person is
    told: the coordinators only, never a contact person (a colleague's affiliation
    verified by e-mail is not theirs to take away)."""
    return can_decide_all_affiliations(user)


# --- The members' directory --------------------------------------------------------------


def can_see_directory(user, network, on=None) -> bool:
    """Members of the network (in the year of `on`, default today) and the coordinators."""
    if not _authenticated(user):
        return False
    if user.has_perm(VIEW_DIRECTORIES):
        return True
    return _model("Organisation").objects.verified_for(user).members_of(network, on=on).exists()


# --- Who is told --------------------------------------------------------------------------


def users_with_permission(permission: str) -> QuerySet:
    """Active users who hold `permission` ("app_label.codename"): directly, through a
    group, or as superusers. The query behind "who gets the staff notice"."""
    from django.contrib.auth.models import Permission

    app_label, codename = permission.split(".", 1)
    perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True) | Q(user_permissions__in=perm) | Q(groups__permissions__in=perm)
        )
        .distinct()
    )


def staff_recipients(*permissions: str) -> list[str]:
    """Staff to notify, the one definition: `STAFF_NOTIFICATION_EMAILS` plus every active
    person who holds all of `permissions` and so may act on the notice (e.g.
    `APPROVE_MEMBERSHIPS`), not whoever is_staff. Sorted, without duplicates."""
    people = get_user_model().objects.filter(is_active=True).exclude(email="")
    for permission in permissions:
        people = people.filter(pk__in=users_with_permission(permission).values("pk"))
    return sorted({*settings.STAFF_NOTIFICATION_EMAILS, *people.values_list("email", flat=True)})
