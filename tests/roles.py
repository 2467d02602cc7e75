"""The people of the permission tests, made the same way in every app's tests.

- superuser: a superuser (holds every permission);
- editor / moderator: in Wagtail's Editors / Moderators group and NOT `is_staff`, as a
  coordinator created in "Brugere" is;
- contact: the verified contact person of an organisation that is not a member;
- member: verified in an organisation with an active membership of `network`;
- anonymous: not logged in.
"""

from django.contrib.auth.models import AnonymousUser, Group

from network.factories import AffiliationFactory, MembershipFactory, OrganisationFactory
from network.models import Affiliation
from portal.factories import UserFactory

ROLES = ["superuser", "editor", "moderator", "contact", "member", "anonymous"]
COORDINATORS = {"superuser", "editor", "moderator"}


def make_person(role: str, *, network=None, organisation=None):
    if role == "anonymous":
        return AnonymousUser()
    if role == "superuser":
        return UserFactory(verified=True, is_staff=True, is_superuser=True)
    person = UserFactory(verified=True, is_staff=False)
    if role == "editor":
        person.groups.add(Group.objects.get(name="Editors"))
    elif role == "moderator":
        person.groups.add(Group.objects.get(name="Moderators"))
    elif role == "contact":
        AffiliationFactory(
            person=person,
            organisation=organisation or OrganisationFactory(),
            role=Affiliation.Role.CONTACT_PERSON,
        )
    elif role == "member":
        if network is None:
            raise ValueError("a member needs network=")
        membership = MembershipFactory(network=network)
        AffiliationFactory(person=person, organisation=membership.organisation)
    else:
        raise ValueError(role)
    return person


def log_in(client, person):
    if person.is_authenticated:
        client.force_login(person)
    return client
