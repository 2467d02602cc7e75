"""Double submits racing each other: real concurrent transactions, on SQLite and PostgreSQL."""

import datetime
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connection

from network import services
from network.factories import VALID_EAN, AffiliationFactory, MunicipalityFactory, NetworkPageFactory
from network.models import Membership, Organisation, TrialUse

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
WRITERS = 8


def _race(target, count=WRITERS):
    barrier = threading.Barrier(count)
    outcomes = []

    def run():
        try:
            barrier.wait()
            outcomes.append(("ok", target()))
        except Exception as exc:  # collected and asserted on below
            outcomes.append((type(exc).__name__, exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


# serialized_rollback: the flush after a transactional test would otherwise also wipe
# what migrations loaded (the 98 municipalities, Wagtail's root page) for later tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def setup(home_page):
    network = NetworkPageFactory(parent=home_page)
    municipality = MunicipalityFactory()
    person = AffiliationFactory(organisation=municipality).person
    return network, municipality, person


def test_concurrent_sign_ups_make_exactly_one_membership(setup):
    network, municipality, person = setup

    def sign_up():
        return services.sign_up(
            person=person,
            organisation=municipality,
            network=network,
            year=2022,
            ean=VALID_EAN,
            invoice_contact_name="Bente",
            invoice_contact_email="b@testrup.dk",
            accept_terms=True,
            on=datetime.date(2021, 11, 19),
        )

    with time_machine.travel(datetime.datetime(2021, 11, 19, 10, tzinfo=CPH), tick=False):
        outcomes = _race(sign_up)
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["AlreadySignedUp"] * (WRITERS - 1) + ["ok"], outcomes
    assert Membership.objects.filter(organisation=municipality, year=2022).count() == 1


def test_concurrent_trial_uses_record_one_trial(setup):
    network, municipality, person = setup

    def use():
        return services.use_trial(organisation=municipality, network=network, person=person)

    outcomes = _race(use)
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ValidationError"] * (WRITERS - 1) + ["ok"], outcomes
    assert TrialUse.objects.filter(organisation=municipality, network=network).count() == 1


def test_migration_data_survives_the_transactional_tests():
    assert Organisation.objects.municipalities().count() == 98
