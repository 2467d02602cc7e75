"""factory_boy factories for agreements, calls and inspiration material."""

import datetime

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from django.utils import timezone

from network.factories import OrganisationFactory
from network.models import Organisation
from portal.factories import UserFactory

from .models import (
    Agreement,
    AgreementCallPage,
    AgreementConsent,
    AgreementLibraryPage,
    NationalOverviewPage,
    ResourceDocument,
    ResourceIndexPage,
    ResourcePage,
    Topic,
)
from .pdf import simple_pdf


def pdf_file(name: str = "aftale.pdf", title: str = "Aftale") -> ContentFile:
    return ContentFile(
        simple_pdf(title, ["Aftale mellem kommune og boligorganisation."]), name=name
    )


def municipality(code: str = "751") -> Organisation:
    """One of the 98 municipalities created by the network app's data migration."""
    return Organisation.objects.municipalities().get(municipality_code=code)


class AgreementCallPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AgreementCallPage

    title = factory.Sequence(lambda n: f"Indberet jeres aftaler {n}")
    intro = "<p>Fortæl os om jeres aftaler med kommunen.</p>"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class AgreementLibraryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AgreementLibraryPage

    title = "Aftalebibliotek"
    slug = "aftalebibliotek"


class NationalOverviewPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NationalOverviewPage

    title = "Landsoverblik"
    slug = "landsoverblik"


class AgreementFactory(factory.django.DjangoModelFactory):
    """A published, public, signed agreement with a PDF, unless told otherwise."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Aftale om boligplacering nr. {n}")
    summary = "Kommunen anviser boliger, og boligorganisationen tilbyder velkomst i afdelingen."
    municipality = factory.LazyFunction(municipality)
    submitting_organisation = factory.SubFactory(OrganisationFactory)
    state = Agreement.State.SIGNED
    signed_on = datetime.date(2016, 3, 1)
    consent = Agreement.Consent.PUBLIC
    status = Agreement.Status.PUBLISHED
    submitted_by = factory.SubFactory(UserFactory, verified=True)
    submitted_at = factory.LazyFunction(timezone.now)
    document = factory.LazyFunction(pdf_file)
    document_name = "aftale.pdf"
    document_type = "application/pdf"
    document_size = factory.LazyAttribute(lambda o: o.document.size if o.document else None)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        """`AgreementFactory(topics=["placement"])`; default: housing placement."""
        if not create:
            return
        codes = extracted if extracted is not None else [Topic.Code.HOUSING_PLACEMENT]
        self.topics.set(Topic.objects.filter(code__in=codes))

    @factory.post_generation
    def housing_organisations(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is not None:
            orgs = extracted
        else:
            orgs = [self.submitting_organisation] if self.submitting_organisation else []
        self.housing_organisations.set(orgs)
        # The search index holds the parties' names: refresh it after the m2m change.
        from wagtail.search import index

        index.insert_or_update_object(self)

    @factory.post_generation
    def party_consents(self, create, extracted, **kwargs):
        """The parties' answers at `consent`: the housing organisations' (given at
        submission) always, the municipality's once published, so a published agreement
        is shown at `consent`. `party_consents={org_pk: "declined"}` sets those parties'
        answers (None: not answered). The stored level is then what the rule gives.
        Drafts get none."""
        if not create or self.is_draft or not self.consent:
            return
        requested = self.consent
        answers = {
            pk: requested
            for pk in self.party_ids()
            if pk != self.municipality_id or self.is_published
        }
        answers.update(extracted or {})
        for pk, level in answers.items():
            if level is not None:
                AgreementConsent.objects.create(
                    agreement=self,
                    organisation_id=pk,
                    level=level,
                    given_by=self.submitted_by,
                    via=AgreementConsent.Via.SUBMISSION,
                    decided_at=timezone.now(),
                )
        self.consent = self.compute_consent()
        Agreement.objects.filter(pk=self.pk).update(consent=self.consent)


class ResourceIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ResourceIndexPage

    title = "Inspiration"
    slug = "inspiration"


class ResourcePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ResourcePage

    title = factory.Sequence(lambda n: f"Vejledning {n}")
    intro = "Sådan indgår I en aftale med kommunen."


class ResourceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceDocument

    title = "Skabelon til aftale"
    file = factory.LazyFunction(lambda: pdf_file("skabelon.pdf", "Skabelon"))
    file_name = "skabelon.pdf"
    file_type = "application/pdf"
    file_size = factory.LazyAttribute(lambda o: o.file.size)
