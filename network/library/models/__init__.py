from .agreements import Agreement, AgreementConsent, AgreementQuerySet, Topic, effective_level
from .pages import AgreementCallPage, AgreementLibraryPage, NationalOverviewPage
from .resources import Audience, ResourceDocument, ResourceIndexPage, ResourcePage

__all__ = [
    "Agreement",
    "AgreementCallPage",
    "AgreementConsent",
    "AgreementLibraryPage",
    "AgreementQuerySet",
    "Audience",
    "NationalOverviewPage",
    "ResourceDocument",
    "ResourceIndexPage",
    "ResourcePage",
    "Topic",
    "effective_level",
]
