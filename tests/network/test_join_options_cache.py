"""Min side's "ask to join an organisation" list offers every organisation the person is
not affiliated with; the rendered list is kept per person (`network.forms.KeptSelect`)
and must follow every change of an organisation or an affiliation at once."""

import re

from network.factories import AffiliationFactory, MunicipalityFactory
from portal.factories import UserFactory


def join_options(client) -> list[str]:
    body = client.get("/min-side/").content.decode()
    select = body[body.index('<select name="organisation"') :]
    return re.findall(r'<option value="\d+">([^<]+)</option>', select[: select.index("</select>")])


def test_a_new_renamed_or_deleted_organisation_is_offered_as_it_is_now(client, person):
    client.force_login(person)
    assert "Nyby Kommune" not in join_options(client)

    nyby = MunicipalityFactory(name="Nyby Kommune")
    assert "Nyby Kommune" in join_options(client)

    nyby.name = "Nyby-Vester Kommune"
    nyby.save()
    options = join_options(client)
    assert "Nyby-Vester Kommune" in options and "Nyby Kommune" not in options

    nyby.delete()
    assert "Nyby-Vester Kommune" not in join_options(client)


def test_an_organisation_the_person_joins_or_leaves_is_offered_accordingly(client, person):
    other = MunicipalityFactory(name="Andeby Kommune")
    client.force_login(person)
    assert "Andeby Kommune" in join_options(client)
    assert "Testrup Kommune" not in join_options(client)  # already theirs

    affiliation = AffiliationFactory(person=person, organisation=other)
    assert "Andeby Kommune" not in join_options(client)
    affiliation.delete()
    assert "Andeby Kommune" in join_options(client)


def test_each_person_is_offered_their_own_list(client, person, municipality):
    outsider = UserFactory(verified=True)
    client.force_login(person)
    assert "Testrup Kommune" not in join_options(client)
    client.force_login(outsider)
    assert "Testrup Kommune" in join_options(client)
    client.force_login(person)
    assert "Testrup Kommune" not in join_options(client)
