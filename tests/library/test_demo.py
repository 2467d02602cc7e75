import datetime

import time_machine
from django.core.management import call_command

from network.library.demo import next_month
from network.library.models import (
    Agreement,
    AgreementCallPage,
    ResourceDocument,
    ResourcePage,
)
from network.library.overview import build_overview


@time_machine.travel(datetime.datetime(2026, 1, 31, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_demo_content_loads_twice_without_changes(db):
    call_command("load_demo")
    counts = (
        Agreement.objects.count(),
        AgreementCallPage.objects.count(),
        ResourcePage.objects.count(),
        ResourceDocument.objects.count(),
    )
    call_command("load_demo")
    # 6 hand-written answers plus 28 internal ones spread over the regions for the overview.
    assert counts == (34, 2, 2, 2)
    assert (
        Agreement.objects.count(),
        AgreementCallPage.objects.count(),
        ResourcePage.objects.count(),
        ResourceDocument.objects.count(),
    ) == counts
    closed = AgreementCallPage.objects.get(slug="kortlaegning-af-lokale-aftaler-2016")
    assert closed.deadline == datetime.date(2016, 2, 20) and not closed.is_open()
    open_call = AgreementCallPage.objects.get(slug="indberet-aftaler")
    assert open_call.deadline == datetime.date(2026, 2, 28) and open_call.is_open()
    assert set(Agreement.objects.values_list("consent", flat=True)) == {
        "public",
        "members",
        "internal",
    }
    assert Agreement.objects.filter(status="submitted").count() == 1
    # The three states of consent: everyone agreed, one party still to answer, one declined.
    everyone = Agreement.objects.get(title="Aarhus Kommune og Boligforeningen Østjylland")
    assert everyone.consent == "public"
    assert {c.level for c in everyone.party_consents.all()} == {"public"}
    pending = Agreement.objects.get(title="Odense Kommune og Boligforeningen Østjylland")
    assert pending.consent == "internal" and pending.requested_level == "members"
    assert [row["consent"] is None for row in pending.consent_overview()] == [True, False]
    declined = Agreement.objects.get(title="Aarhus Kommune og Boligselskabet Fjordbo")
    assert declined.consent == "internal"
    municipality_answer = declined.party_consents.get(organisation=declined.municipality)
    assert municipality_answer.level == "declined"
    assert municipality_answer.given_by.email == "medlem@aarhus.dk"
    # The demo overview shows figures, not only hidden cells.
    overview = build_overview()
    assert overview.answered_count >= 30
    shown = [cell for row in overview.regions for cell in row.cells if not cell.suppressed]
    assert any(cell.value >= 3 for cell in shown)
    for agreement in Agreement.objects.exclude(document=""):
        with agreement.document.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"


def test_next_month_keeps_the_day_where_it_can():
    assert next_month(datetime.date(2026, 3, 15)) == datetime.date(2026, 4, 15)
    assert next_month(datetime.date(2026, 12, 31)) == datetime.date(2027, 1, 31)
    assert next_month(datetime.date(2026, 1, 31)) == datetime.date(2026, 2, 28)
