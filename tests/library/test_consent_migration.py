"""The migration that brings per-party consent and moves the audit trail onto Wagtail's
log: run on a database as it was before (library 0003), with a published agreement, a
submitted one and their AgreementEvent rows."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("library", "0003_private_attachments")]
AFTER = [("library", "0005_consent_of_published_and_audit_on_wagtail_log")]
NOTE = "Registreret af sekretariatet ved godkendelsen, før samtykke blev indhentet fra hver part."


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_published_agreements_keep_their_visibility_and_the_events_move_to_the_log():
    apps = migrate(BEFORE)
    try:
        Agreement = apps.get_model("library", "Agreement")
        AgreementEvent = apps.get_model("library", "AgreementEvent")
        Organisation = apps.get_model("network", "Organisation")
        User = apps.get_model("portal", "User")
        aarhus = Organisation.objects.get(municipality_code="751")
        odense = Organisation.objects.get(municipality_code="461")
        housing = Organisation.objects.create(kind="housing", name="Boligforeningen Åbo")
        person = User.objects.create(email="anna@aabo.dk")
        editor = User.objects.create(email="redaktoer@erfa.example")
        at = datetime.datetime(2025, 5, 1, 10, 0, tzinfo=datetime.UTC)
        published = Agreement.objects.create(
            title="Aarhus Kommune og Boligforeningen Åbo",
            municipality=aarhus,
            submitting_organisation=housing,
            state="signed",
            consent="members",
            status="published",
            submitted_by=person,
            submitted_at=at,
            reviewed_by=editor,
            reviewed_at=at,
        )
        published.housing_organisations.set([housing])
        waiting = Agreement.objects.create(
            title="Odense Kommune og Boligforeningen Åbo",
            municipality=odense,
            submitting_organisation=housing,
            state="signed",
            consent="public",
            status="submitted",
            submitted_by=person,
            submitted_at=at,
        )
        waiting.housing_organisations.set([housing])
        first = AgreementEvent.objects.create(
            agreement=published, action="submitted", actor=person, new_status="submitted"
        )
        second = AgreementEvent.objects.create(
            agreement=published,
            action="consent_changed",
            actor=editor,
            old_consent="public",
            new_consent="members",
            note="Kommunen bad om det",
        )
        AgreementEvent.objects.filter(pk=first.pk).update(at=at)
        AgreementEvent.objects.filter(pk=second.pk).update(at=at + datetime.timedelta(hours=1))
    finally:
        apps = migrate(AFTER)

    Agreement = apps.get_model("library", "Agreement")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    published = Agreement.objects.get(title="Aarhus Kommune og Boligforeningen Åbo")
    waiting = Agreement.objects.get(title="Odense Kommune og Boligforeningen Åbo")

    # The published agreement keeps its visibility: every party at "members".
    answers = {
        (c.organisation.kind, c.level, c.via, c.note, c.given_by_id, c.recorded_by_staff_id)
        for c in published.party_consents.select_related("organisation")
    }
    assert answers == {
        ("housing", "members", "submission", "", published.submitted_by_id, None),
        ("municipality", "members", "staff", NOTE, None, published.reviewed_by_id),
    }
    assert published.consent == "members"
    # Not yet published: the submitter's consent only; internal until the municipality answers.
    assert [(c.organisation.kind, c.level) for c in waiting.party_consents.all()] == [
        ("housing", "public")
    ]
    assert waiting.consent == "internal"

    entries = ModelLogEntry.objects.filter(object_id=str(published.pk)).order_by("timestamp", "pk")
    carried = [e for e in entries if "from_agreement_event" in e.data]
    assert [(e.action, e.user_id, e.timestamp) for e in carried] == [
        (
            "library.agreement.submitted",
            published.submitted_by_id,
            datetime.datetime(2025, 5, 1, 10, 0, tzinfo=datetime.UTC),
        ),
        (
            "library.agreement.shown_as_changed",
            published.reviewed_by_id,
            datetime.datetime(2025, 5, 1, 11, 0, tzinfo=datetime.UTC),
        ),
    ]
    assert carried[1].data["old"] == "public" and carried[1].data["new"] == "members"
    assert carried[1].data["note"] == "Kommunen bad om det"
    registered = [e for e in entries if e.data.get("note") == NOTE]
    assert [e.action for e in registered] == ["library.consent.given"]
    assert "library_agreementevent" not in connection.introspection.table_names()
