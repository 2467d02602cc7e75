"""Who the viewer is, for the visibility rules. Member status comes from the network
app (`network.services`), never from here.

Both answers are cached on the user object, like Django caches permissions: the object
lives for one request, so a change of membership shows from the next request on.
"""

from django.utils import timezone

from network.models import Organisation

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
    answer = Organisation.objects.verified_for(user).members_of_any_network(on=today).exists()
    user._library_member_cache = (today, answer)
    return answer


# --- Consent per party --------------------------------------------------------------------


def municipality_consent_people(municipality):
    """Who is asked for the municipality's consent: its verified contact people, or, if
    it has none, the people with the review permission (staff answer then, with a note
    of who at the municipality agreed)."""
    from django.contrib.auth import get_user_model

    from network.access import users_with_permission

    User = get_user_model()
    contacts = User.objects.filter(
        pk__in=municipality.contact_people().values("person_id"), is_active=True
    )
    if contacts.exists():
        return contacts
    return users_with_permission(REVIEW_PERMISSION)


def can_consent_for(person, agreement, organisation) -> bool:
    """May `person` give, narrow or withdraw `organisation`'s consent to `agreement`?
    For the municipality: the people it is asked through (`municipality_consent_people`).
    For a housing organisation: the submitter, and people verified in the submitting
    organisation or in that housing organisation."""
    if not getattr(person, "is_authenticated", False) or not getattr(person, "is_active", False):
        return False
    if agreement.is_draft or organisation.pk not in agreement.party_ids():
        return False
    if organisation.pk == agreement.municipality_id:
        return municipality_consent_people(organisation).filter(pk=person.pk).exists()
    if agreement.submitted_by_id == person.pk:
        return True
    return (
        Organisation.objects.verified_for(person)
        .filter(pk__in=[organisation.pk, agreement.submitting_organisation_id])
        .exists()
    )


def can_record_consent(user) -> bool:
    """Staff register a party's consent received by other means (with a note)."""
    return can_decide_agreements(user)
