"""Issue 8 polish: the registrations admin's "Afmeld" confirmation page."""

import re

from meetings.models import Registration
from tests.meetings import test_admin
from tests.meetings.test_admin import LISTING, action

# The fixtures of the registrations admin's tests.
editor = test_admin.editor
filled_meeting = test_admin.filled_meeting


def _body(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", html.split("</head>", 1)[1])


def test_the_cancel_page_names_the_person_in_its_heading_once(client, editor, filled_meeting):
    client.force_login(editor)
    anna = Registration.objects.get(person__first_name="Anna", person__last_name="Aarhus")
    body = _body(client.get(action("cancel", anna)))
    assert body.count("Afmeld: Anna Aarhus") == 1


def test_cancelling_someone_on_the_waitlist_asks_the_right_question(client, editor, filled_meeting):
    client.force_login(editor)
    ole = Registration.objects.get(person__first_name="Ole")
    anna = Registration.objects.get(person__first_name="Anna", person__last_name="Aarhus")
    listing = f"{LISTING}?meeting={filled_meeting.pk}"
    confirm_page = f"{action('cancel', ole)}?next={listing}"

    waitlisted = _body(client.get(confirm_page))
    assert "Afmeld Ole Odense? Vedkommende får besked på e-mail og forlader ventelisten" in (
        waitlisted
    )
    assert "en bekræftet plads går videre" not in waitlisted
    confirmed = _body(client.get(action("cancel", anna)))
    assert "en bekræftet plads går videre til den første på ventelisten" in confirmed

    response = client.submit(action("cancel", ole), {"next": listing}, page=confirm_page)
    assert response["Location"] == listing
    ole.refresh_from_db()
    assert ole.status == Registration.Status.CANCELLED
