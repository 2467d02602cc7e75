"""Danish a reader does not stumble over (issue 13): counts read "0 af 3 prøvepladser er
taget", an agreement's status is a fact ("Underskrevet"), the directory choice on Min
side says where you stand and what the button does, examples use "fx", quotes are
Danish »…«."""

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import translation

from meetings.demo import UPCOMING_SLUG
from meetings.forms import RegistrationForm
from meetings.models import MeetingPage
from network.factories import AffiliationFactory
from network.library.factories import AgreementFactory
from network.library.models import Agreement


@pytest.mark.django_db
def test_the_meeting_page_counts_trial_places_in_plain_danish(client):
    call_command("load_demo", verbosity=0)
    meeting = MeetingPage.objects.get(slug=UPCOMING_SLUG)
    html = client.get(meeting.url).content.decode()
    assert f"0 af {meeting.trial_places} prøvepladser er taget" in html
    assert "prøvepladser taget:" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "shown"),
    [
        (Agreement.State.SIGNED, "Underskrevet"),
        (Agreement.State.NEGOTIATING, "Under forhandling"),
        (Agreement.State.NONE, "Ingen aftale"),
    ],
)
def test_an_agreements_status_reads_as_a_fact_not_as_the_questionnaires_answer(state, shown):
    agreement = AgreementFactory(state=state)
    with translation.override("da"):
        html = render_to_string("library/includes/agreement_facts.html", {"agreement": agreement})
    assert f"<dt>Aftalens status</dt><dd>{shown}</dd>" in html
    assert "Ja, der er" not in html


def test_min_side_says_whether_you_are_in_the_directory_and_what_the_button_does(
    client, home_page, member
):
    affiliation = AffiliationFactory(person=member, listed_in_directory=True)
    client.force_login(member)
    html = client.get("/min-side/").content.decode()
    assert "Du er med i oversigten." in html and ">Fjern mig</button>" in html
    assert "Vises: skjul mig" not in html

    affiliation.listed_in_directory = False
    affiliation.save()
    html = client.get("/min-side/").content.decode()
    assert "Du er ikke med i oversigten." in html and ">Tilføj mig</button>" in html


def test_registration_hints_say_fx_and_search_quotes_are_danish(client, home_page):
    with translation.override("da"):
        form = RegistrationForm.base_fields
        assert str(form["dietary_needs"].help_text) == "Fx vegetar, glutenfri, allergier."
        assert str(form["accessibility_needs"].help_text).startswith("Fx ")
    html = client.get("/soeg/?q=vindmøller").content.decode()
    assert "Ingen resultater for »vindmøller«." in html
