"""The meetings' public forms (registration, send a colleague, evaluation), sent with
errors: a linked error summary after the H1, each error announced at its field, every
radio group a fieldset with its question as legend (tests/form_markup.py)."""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from meetings import evaluation, services
from meetings.evaluation_models import EvaluationInvitation
from meetings.factories import RegistrationFactory, programme_item
from tests.form_markup import check_form_page

from .conftest import cph


@pytest.fixture
def dinner_meeting(make_meeting):
    return make_meeting(title="Middagsmødet", ask_joins_dinner=True)


def test_registration_with_errors_links_every_field_and_the_dinner_question(
    client, dinner_meeting, member_org, person_at
):
    person = person_at(member_org("Aarhus Kommune"))
    client.force_login(person)
    blank = check_form_page(client.get(dinner_meeting.register_url), errors=False)
    legend = blank.find("input", attrs={"name": "joins_dinner"}).find_parent("fieldset").legend
    assert legend.get_text(" ", strip=True) == "Deltager du i middagen? (skal udfyldes)"

    response = client.submit(
        dinner_meeting.register_url,
        {"organisation": "", "participant": "", "dietary_needs": "x" * 301},
        page=dinner_meeting.register_url,
    )

    assert response.status_code == 400
    soup = check_form_page(response, errors=True)
    summary = soup.select_one('[data-module="error-summary"]')
    links = {a["href"]: a.get_text(" ", strip=True) for a in summary.find_all("a")}
    assert links["#id_joins_dinner_0"] == "Deltager du i middagen? Dette felt er påkrævet."
    assert links["#id_participant"].startswith("Hvem deltager? ")
    assert links["#id_dietary_needs"].startswith("Kosthensyn: ")
    fieldset = soup.find("input", attrs={"name": "joins_dinner"}).find_parent("fieldset")
    assert "id_joins_dinner_error" in fieldset["aria-describedby"].split()
    assert soup.find(id="id_joins_dinner_error").get_text(" ", strip=True) == (
        "Fejl: Dette felt er påkrævet."
    )
    # What was typed is kept.
    assert soup.find(id="id_dietary_needs")["value"] == "x" * 301


def test_send_a_colleague_without_choosing_one_is_a_linked_error(
    client, make_meeting, member_org, person_at
):
    meeting = make_meeting(title="Majmødet")
    org = member_org("Aarhus Kommune")
    anna, _carla = person_at(org), person_at(org)
    seat = services.register(meeting=meeting, person=anna, organisation=org)
    client.force_login(anna)
    url = f"/moeder/tilmelding/{seat.pk}/send-en-kollega/"
    check_form_page(client.get(url), errors=False)

    response = client.submit(url, {"colleague": ""}, page=url)

    soup = check_form_page(response, errors=True)
    assert soup.select_one('[data-module="error-summary"] a')["href"] == "#id_colleague"


def test_an_evaluation_with_errors_links_each_rating_group(client, make_meeting, member_org):
    meeting = make_meeting(
        title="Martsmødet",
        start=cph(2030, 3, 10, 10),
        end=cph(2030, 3, 10, 15),
        programme=[programme_item("10.00", "10.45", "Boligsocial monitorering", "talk")],
    )
    registration = RegistrationFactory(meeting=meeting, organisation=member_org(years=[2030]))
    invitation = EvaluationInvitation.objects.create(
        meeting=meeting, registration=registration, sent_at=timezone.now()
    )
    url = urlsplit(evaluation.answer_url(invitation)).path
    check_form_page(client.get(url), errors=False)

    response = client.submit(url, {"item_0": "7", "comment": "x" * 3001}, page=url)

    soup = check_form_page(response, errors=True)
    hrefs = [a["href"] for a in soup.select('[data-module="error-summary"] a')]
    assert hrefs == ["#id_overall_0", "#id_item_0_0", "#id_comment"]
    legends = [legend.get_text(" ", strip=True) for legend in soup.find_all("legend")]
    assert legends == [
        "Hvordan var mødet samlet set? (skal udfyldes)",
        "10.00: Boligsocial monitorering (Oplæg) (frivilligt)",
    ]
