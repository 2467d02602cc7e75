"""factory_boy factories for the network app (tests, benchmarks, other apps' tests)."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from portal.factories import UserFactory
from portal.regions import Region

from . import pricing
from .models import Affiliation, Membership, NetworkPage, Organisation, OrganisationDomain

# A valid 13-digit EAN (GS1 check digit 1) for invoicing in tests.
VALID_EAN = "5798000000001"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    kind = Organisation.Kind.HOUSING_ORGANISATION
    name = factory.Sequence(lambda n: f"Boligforeningen {n}")

    @factory.post_generation
    def domains(self, create, extracted, **kwargs):
        """`OrganisationFactory(domains=["bolig.dk"])`."""
        if create and extracted:
            for domain in extracted:
                OrganisationDomain.objects.create(organisation=self, domain=domain)


class MunicipalityFactory(OrganisationFactory):
    """A made-up municipality (codes 9xx are not used by real ones)."""

    kind = Organisation.Kind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Testrup {n} Kommune")
    municipality_code = factory.Sequence(lambda n: f"9{n % 100:02d}")
    region = Region.MIDTJYLLAND


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(UserFactory, verified=True)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Affiliation.Role.PARTICIPANT
    status = Affiliation.Status.VERIFIED
    verified_via = Affiliation.VerifiedVia.STAFF


class NetworkPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NetworkPage

    title = factory.Sequence(lambda n: f"Netværk {n}")
    intro = "Et erfa-netværk for kommuner."
    price = 9500
    seats_per_member = 2


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(MunicipalityFactory)
    network = None  # pass a NetworkPage: it needs a parent page
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    status = Membership.Status.ACTIVE
    ean = VALID_EAN
    purchase_reference = "PO-1234"
    invoice_contact_name = "Bente Bogholder"
    invoice_contact_email = factory.Sequence(lambda n: f"faktura{n}@example.org")
    terms_accepted_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    price_yearly = factory.LazyAttribute(lambda m: m.charge["price_yearly"])
    price_quarters = factory.LazyAttribute(lambda m: m.charge["price_quarters"])
    price_amount = factory.LazyAttribute(lambda m: m.charge["price_amount"])
    period_start = factory.LazyAttribute(lambda m: m.charge["period_start"])
    period_end = factory.LazyAttribute(lambda m: m.charge["period_end"])

    class Params:
        # The whole year at the network's price, as for a member since before it began.
        charge = factory.LazyAttribute(
            lambda m: pricing.charge_fields(
                pricing.price_for(
                    m.network.price if m.network else None,
                    year=m.year,
                    on=datetime.date(m.year - 1, 12, 1),
                )
            )
        )
