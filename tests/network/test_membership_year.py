"""The membership year (issue 11): member status with the grace period, asked one way
through the querysets, on every surface."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from network.factories import (
    AffiliationFactory,
    MembershipFactory,
    MunicipalityFactory,
    NetworkPageFactory,
)
from network.fields import MonthDayFormField
from network.models import Membership, Organisation


@pytest.fixture
def network(home_page):
    return NetworkPageFactory(parent=home_page, title="Boligsocialt Netværk")


def member(person, network, on):
    return Organisation.objects.verified_for(person).members_of(network, on=on).exists()


def test_grace_keeps_access_to_the_networks_grace_end_while_the_renewal_is_missing(network):
    org = MunicipalityFactory()
    person = AffiliationFactory(organisation=org).person
    MembershipFactory(organisation=org, network=network, year=2026)

    assert member(person, network, datetime.date(2026, 12, 31))
    assert member(person, network, datetime.date(2027, 1, 1))
    assert member(person, network, datetime.date(2027, 1, 31))
    assert not member(person, network, datetime.date(2027, 2, 1))
    assert list(Organisation.objects.in_grace_of(network, on=datetime.date(2027, 1, 15))) == [org]
    # Not active in 2027, only in grace.
    assert not Membership.objects.active_on(datetime.date(2027, 1, 15)).exists()

    network.grace_end = "02-15"
    network.save()
    assert member(person, network, datetime.date(2027, 2, 15))
    assert not member(person, network, datetime.date(2027, 2, 16))


def test_grace_also_after_the_rollover_ended_last_years_row(network):
    org = MunicipalityFactory()
    person = AffiliationFactory(organisation=org).person
    MembershipFactory(organisation=org, network=network, year=2026, status=Membership.Status.ENDED)
    assert member(person, network, datetime.date(2026, 6, 1))  # an ended year still counts
    assert member(person, network, datetime.date(2027, 1, 10))
    assert not member(person, network, datetime.date(2027, 2, 10))


def test_no_grace_when_cancelled_or_renewed_and_an_applied_renewal_keeps_it(network):
    cancelled, renewed, waiting = (
        MunicipalityFactory(),
        MunicipalityFactory(),
        MunicipalityFactory(),
    )
    for org in (cancelled, renewed, waiting):
        MembershipFactory(organisation=org, network=network, year=2026)
    MembershipFactory(
        organisation=cancelled, network=network, year=2027, status=Membership.Status.CANCELLED
    )
    MembershipFactory(organisation=renewed, network=network, year=2027)
    MembershipFactory(
        organisation=waiting, network=network, year=2027, status=Membership.Status.APPLIED
    )
    on = datetime.date(2027, 1, 10)
    assert set(Organisation.objects.in_grace_of(network, on=on)) == {waiting}
    assert set(Organisation.objects.members_of(network, on=on)) == {renewed, waiting}
    assert set(Organisation.objects.members_of(network, on=datetime.date(2027, 3, 1))) == {renewed}


def test_no_grace_for_a_membership_that_was_never_active_or_two_years_old(network):
    applied, old = MunicipalityFactory(), MunicipalityFactory()
    MembershipFactory(
        organisation=applied, network=network, year=2026, status=Membership.Status.APPLIED
    )
    MembershipFactory(organisation=old, network=network, year=2025)
    assert not Organisation.objects.members_of(network, on=datetime.date(2027, 1, 10)).exists()


def test_grace_is_per_network(network, home_page):
    other = NetworkPageFactory(parent=home_page, title="Andet netværk")
    org = MunicipalityFactory()
    MembershipFactory(organisation=org, network=other, year=2026)
    assert not Organisation.objects.members_of(network, on=datetime.date(2027, 1, 10)).exists()
    assert list(Organisation.objects.members_of(other, on=datetime.date(2027, 1, 10))) == [org]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("31.01", "01-31"), ("1.10", "10-01"), ("1/12", "12-01"), ("15.2.", "02-15")],
)
def test_day_of_year_is_typed_the_danish_way(typed, stored):
    assert MonthDayFormField().clean(typed) == stored
    assert MonthDayFormField().prepare_value(stored).endswith(stored[:2])


@pytest.mark.parametrize("typed", ["31.02", "29.02", "1 oktober", "13.13", "2026-10-01"])
def test_a_day_that_is_not_a_day_is_a_danish_field_error(typed):

    from django.utils import translation

    with translation.override("da"), pytest.raises(ValidationError) as exc:
        MonthDayFormField().clean(typed)
    assert "dag" in " ".join(exc.value.messages).lower()
