from .agreements import Agreement, AgreementEvent, AgreementQuerySet, Topic
from .pages import AgreementCallPage, AgreementLibraryPage, NationalOverviewPage
from .resources import Audience, ResourceDocument, ResourceIndexPage, ResourcePage

__all__ = [
    "Agreement",
    "AgreementCallPage",
    "AgreementEvent",
    "AgreementLibraryPage",
    "AgreementQuerySet",
    "Audience",
    "NationalOverviewPage",
    "ResourceDocument",
    "ResourceIndexPage",
    "ResourcePage",
    "Topic",
]
