"""Ids beyond the database's range (issue 9, hole 4): a 404 or a form error, never a 500
(SQLite raised OverflowError on a lookup through a page's `page_ptr`)."""

import pytest

from network.forms import JoinOrganisationForm, MembershipSignupForm
from network.models import Membership

from .test_signup import form_data

HUGE = "99999999999999999999999"
BEYOND_BIGINT = str(2**63)


@pytest.fixture
def logged_in(client, person):
    client.force_login(person)
    client.raise_request_exception = False  # a 500 is what we look for, not a traceback
    return client


@pytest.mark.parametrize("value", [HUGE, BEYOND_BIGINT])
@pytest.mark.parametrize("field", ["network", "organisation"])
def test_sign_up_with_an_out_of_range_id_is_a_form_error(
    logged_in, network, municipality, field, value
):
    data = {**form_data(network, municipality), field: value}
    response = logged_in.submit("/netvaerk/tilmelding/", data)
    assert response.status_code == 200
    body = response.content.decode()
    expected = {
        "network": "Vælg et af de netværk, der er åbne for tilmelding.",
        "organisation": "Du kan kun tilmelde en organisation, du har en bekræftet tilknytning til.",
    }[field]
    assert expected in body
    assert not Membership.objects.exists()


def test_joining_an_out_of_range_organisation_is_refused(logged_in, municipality):
    response = logged_in.submit(
        "/netvaerk/tilknytning/", {"organisation": HUGE}, page="/min-side/", follow=True
    )
    assert response.status_code == 200
    assert "Vælg en organisation på listen." in response.content.decode()


def test_the_forms_themselves_reject_out_of_range_ids(person, network, municipality):
    signup = MembershipSignupForm({"network": HUGE}, person=person)
    assert not signup.is_valid()
    assert signup.errors["network"] == ["Vælg et af de netværk, der er åbne for tilmelding."]
    join = JoinOrganisationForm({"organisation": f"-{HUGE}"}, person=person)
    assert not join.is_valid()


@pytest.mark.parametrize(
    "url",
    [
        f"/netvaerk/{HUGE}/medlemmer/",
        f"/netvaerk/tilmelding/{HUGE}/",
        f"/netvaerk/tilknytning/{BEYOND_BIGINT}/medlemsoversigt/",
        f"/moeder/{HUGE}/kalender.ics",
        f"/moeder/{HUGE}/tilmeld/",
        f"/moeder/kalender/netvaerk-{HUGE}.ics",
    ],
)
def test_out_of_range_ids_in_urls_are_not_found(logged_in, url):
    assert logged_in.get(url).status_code == 404


def test_an_out_of_range_decision_is_not_found(logged_in):
    response = logged_in.post_with_token(
        f"/netvaerk/tilknytning/{HUGE}/afgoer/", {"decision": "reject"}, page="/min-side/"
    )
    assert response.status_code == 404
