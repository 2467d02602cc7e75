"""factory_boy factories for the portal's models (used by tests and benchmarks)."""

import factory
import wagtail_factories
from allauth.account.models import EmailAddress

from .models import Contact, HomePage, NewsIndexPage, NewsPage, StandardPage, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    password = factory.PostGenerationMethodCall("set_password", "Kodeord-til-test-1")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """`UserFactory(verified=True)` gives the person a confirmed e-mail address."""
        self.save()
        if create and extracted:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Faker("name", locale="da_DK")
    title = "Konsulent"
    email = factory.Sequence(lambda n: f"kontakt{n}@erfa.example")
    phone = "33 70 30 00"


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Forside"


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Side {n}")
    intro = "En introduktion."


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "Nyheder"


class NewsPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"Nyhed {n}")
    lead = "En kort indledning."
