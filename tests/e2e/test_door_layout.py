"""Issue 8 polish: at the door on a 390 px phone, the message after a check-in does not
push the admin's header and menu button over "N af M tjekket ind"."""

import pytest
from playwright.sync_api import expect

from tests.e2e import test_registrations_admin as registrations
from tests.e2e.test_registrations_admin import PHONE, logged_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The fixtures of the registrations journeys.
meeting = registrations.meeting

# What lies on top at the text's first letter (where Wagtail's mobile menu button, moved
# down by a fixed 82 px when there are messages, covered it).
COVERED_BY = """(element) => {
    const box = element.getBoundingClientRect();
    const found = document.elementFromPoint(box.left + 2, box.top + 3);
    return found && !element.contains(found) ? found.outerHTML.slice(0, 120) : null;
}"""


def test_the_count_at_the_door_stays_visible_after_a_check_in(
    new_context, live_server, meeting, coordinator
):
    door = f"/admin/meetings/registrations/door/{meeting.pk}/"
    page = logged_in(new_context, live_server, coordinator.email, PHONE, door)
    count = page.get_by_text("0 af 4 tjekket ind")
    assert count.evaluate(COVERED_BY) is None

    page.get_by_role("button", name="Tjek ind: Anna Aarhus").click()
    expect(page.get_by_text("Anna Aarhus er tjekket ind.")).to_be_visible()
    count = page.get_by_text("1 af 4 tjekket ind")
    expect(count).to_be_visible()
    assert count.evaluate(COVERED_BY) is None
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
