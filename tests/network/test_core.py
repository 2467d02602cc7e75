import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from network import services
from network.factories import (
    AffiliationFactory,
    MembershipFactory,
    MunicipalityFactory,
    NetworkPageFactory,
)
from network.models import Membership, Organisation, TrialUse
from network.validators import validate_ean
from portal.factories import UserFactory
from portal.regions import Region

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def network(home_page):
    return NetworkPageFactory(parent=home_page, title="Kommunernes Netværk")


def test_all_98_municipalities_are_loaded_with_unique_codes_and_regions(db):
    municipalities = Organisation.objects.municipalities()
    assert municipalities.count() == 98
    codes = list(municipalities.values_list("municipality_code", flat=True))
    assert len(set(codes)) == 98
    assert all(len(code) == 3 and code.isdigit() for code in codes)
    by_region = {region: municipalities.filter(region=region).count() for region in Region.values}
    assert by_region == {
        Region.HOVEDSTADEN: 29,
        Region.SJAELLAND: 17,
        Region.SYDDANMARK: 22,
        Region.MIDTJYLLAND: 19,
        Region.NORDJYLLAND: 11,
    }
    aarhus = Organisation.objects.get(municipality_code="751")
    assert aarhus.name == "Aarhus Kommune"
    assert aarhus.region == Region.MIDTJYLLAND
    assert "aarhus.dk" in aarhus.domain_list
    assert Organisation.objects.get(municipality_code="101").name == "Københavns Kommune"


@pytest.mark.parametrize("ean", ["5798000000001", "4006381333931", "5790000000005"])
def test_ean_with_valid_gs1_check_digit_is_accepted(ean):
    validate_ean(ean)


@pytest.mark.parametrize(
    ("ean", "message"),
    [
        ("5798000000002", "kontrolciffer"),
        ("4006381333932", "kontrolciffer"),
        ("579800000000", "13 cifre"),
        ("57980000000011", "13 cifre"),
        ("57980000000a1", "13 cifre"),
        ("", "13 cifre"),
    ],
)
def test_ean_with_wrong_length_or_check_digit_is_rejected_in_danish(ean, message):
    with pytest.raises(ValidationError) as exc:
        validate_ean(ean)
    assert message in " ".join(exc.value.messages)


def test_member_status_follows_verified_affiliation_and_active_membership(network):
    municipality = MunicipalityFactory()
    person = UserFactory(verified=True)
    affiliation = AffiliationFactory(person=person, organisation=municipality)
    MembershipFactory(organisation=municipality, network=network, year=2026)
    on = datetime.date(2026, 5, 1)

    assert Organisation.objects.verified_for(person).members_of(network, on=on).exists()
    assert list(Organisation.objects.verified_for(person).members_of(network, on=on)) == [
        municipality
    ]
    assert list(Organisation.objects.members_of(network, on=on)) == [municipality]
    assert Organisation.objects.verified_for(person).members_of_any_network(on=on).exists()

    affiliation.status = affiliation.Status.REQUESTED
    affiliation.save()
    assert not Organisation.objects.verified_for(person).members_of(network, on=on).exists()


def test_membership_that_is_only_applied_grants_nothing(network):
    municipality = MunicipalityFactory()
    person = AffiliationFactory(organisation=municipality).person
    MembershipFactory(
        organisation=municipality, network=network, year=2026, status=Membership.Status.APPLIED
    )
    assert (
        not Organisation.objects.verified_for(person)
        .members_of(network, on=datetime.date(2026, 5, 1))
        .exists()
    )


def test_member_status_changes_at_midnight_copenhagen_time_not_utc(network):
    municipality = MunicipalityFactory()
    person = AffiliationFactory(organisation=municipality).person
    MembershipFactory(organisation=municipality, network=network, year=2026)
    # Cancelled for 2027, so no grace period after New Year (see test_membership_year).
    MembershipFactory(
        organisation=municipality, network=network, year=2027, status=Membership.Status.CANCELLED
    )

    # 31 Dec 2026 23:30 in Copenhagen is 22:30 UTC: still 2026.
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=CPH), tick=False):
        assert Organisation.objects.verified_for(person).members_of(network).exists()
    # 1 Jan 2027 00:30 in Copenhagen is still 31 Dec 23:30 UTC, but the year has turned.
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 30, tzinfo=CPH), tick=False):
        assert not Organisation.objects.verified_for(person).members_of(network).exists()
    # An aware datetime given explicitly is read in Copenhagen time too.
    utc_evening = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    assert (
        not Organisation.objects.verified_for(person).members_of(network, on=utc_evening).exists()
    )
    assert (
        Organisation.objects.verified_for(person)
        .members_of(network, on=datetime.date(2026, 1, 1))
        .exists()
    )


def test_trial_only_for_non_members_and_only_once(network):
    member = MunicipalityFactory()
    MembershipFactory(organisation=member, network=network, year=2026)
    newcomer = MunicipalityFactory()
    on = datetime.date(2026, 12, 8)

    assert not services.trial_available(organisation=member, network=network, on=on)
    with pytest.raises(ValidationError):
        services.use_trial(organisation=member, network=network, meeting_date=on)

    assert services.trial_available(organisation=newcomer, network=network, on=on)
    services.use_trial(organisation=newcomer, network=network, meeting_date=on)
    assert not services.trial_available(organisation=newcomer, network=network, on=on)
    with pytest.raises(ValidationError) as exc:
        services.use_trial(organisation=newcomer, network=network, meeting_date=on)
    assert "allerede brugt" in exc.value.messages[0]
    assert TrialUse.objects.filter(organisation=newcomer).count() == 1
