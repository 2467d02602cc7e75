"""Ids beyond the database's range in the questionnaire and the library (issue 9, hole 4):
a form error or a 404, never a 500."""

import pytest

from network.library.models import Agreement

from .helpers import answer_questionnaire
from .test_questionnaire import complete_answer

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    ("field", "value"),
    [("municipality", HUGE), ("organisation", HUGE), ("topics", [HUGE])],
)
def test_questionnaire_with_an_out_of_range_id_is_a_form_error(
    client, call_page, submitter, housing_org, field, value
):
    client.force_login(submitter)
    client.raise_request_exception = False
    response = answer_questionnaire(
        client, call_page.questionnaire_url(), complete_answer(**{field: value})
    )
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    assert not Agreement.objects.exclude(status=Agreement.Status.DRAFT).exists()


@pytest.mark.parametrize("query", [f"municipality={HUGE}", f"housing_organisation={HUGE}"])
def test_library_filters_ignore_out_of_range_ids(client, library_page, member, query):
    client.force_login(member)
    client.raise_request_exception = False
    assert client.get(f"{library_page.url}?{query}").status_code == 200


@pytest.mark.parametrize("suffix", [f"{HUGE}/"])
def test_out_of_range_agreement_ids_are_not_found(client, library_page, call_page, member, suffix):
    client.force_login(member)
    client.raise_request_exception = False
    assert client.get(library_page.url + suffix).status_code == 404
    assert client.get(call_page.url + f"svar/{HUGE}/").status_code == 404
    assert client.get(f"/aftaler/dokument/{HUGE}/").status_code == 404
