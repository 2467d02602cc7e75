"""Per-party consent lands, and the agreements' audit trail moves onto Wagtail's log.

1. Agreements already published keep their visibility: each party's consent is recorded
   at the level the agreement was shown at. The submitter's side as given at
   submission; the other parties (the municipality) as "registered by staff at review",
   with that note, so nothing disappears silently. Answers not yet published get the
   submitter's consent only: the municipality is asked when they are published.
2. Every `AgreementEvent` row becomes a `ModelLogEntry` (action, user, time, and the
   note and old/new values in `data`), and `AgreementEvent` goes.
"""

from django.db import migrations

STAFF_AT_REVIEW_NOTE = (
    "Registreret af sekretariatet ved godkendelsen, før samtykke blev indhentet fra hver part."
)
LEVELS = {"public", "members", "internal"}

EVENT_ACTIONS = {
    "submitted": "library.agreement.submitted",
    "published": "library.agreement.published",
    "rejected": "library.agreement.rejected",
    "withdrawn": "library.agreement.withdrawn",
    "consent_changed": "library.agreement.shown_as_changed",
    "status_changed": "library.agreement.status_changed",
}


def _parties(agreement):
    housing = list(agreement.housing_organisations.values_list("pk", flat=True))
    if not housing and agreement.submitting_organisation_id:
        housing = [agreement.submitting_organisation_id]
    return agreement.municipality_id, [pk for pk in housing if pk != agreement.municipality_id]


def record_consent_of_published(apps, schema_editor):
    Agreement = apps.get_model("library", "Agreement")
    AgreementConsent = apps.get_model("library", "AgreementConsent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    content_type, _ = ContentType.objects.get_or_create(app_label="library", model="agreement")

    for agreement in Agreement.objects.exclude(status="draft").exclude(consent=""):
        level = agreement.consent if agreement.consent in LEVELS else "internal"
        when = agreement.reviewed_at or agreement.submitted_at or agreement.updated_at
        municipality_id, housing = _parties(agreement)
        rows = [
            dict(
                organisation_id=pk,
                given_by_id=agreement.submitted_by_id,
                via="submission",
                note="",
                decided_at=agreement.submitted_at or when,
            )
            for pk in housing
        ]
        if agreement.status == "published" and municipality_id:
            rows.append(
                dict(
                    organisation_id=municipality_id,
                    recorded_by_staff_id=agreement.reviewed_by_id,
                    via="staff",
                    note=STAFF_AT_REVIEW_NOTE,
                    decided_at=when,
                )
            )
        for row in rows:
            if AgreementConsent.objects.filter(
                agreement=agreement, organisation_id=row["organisation_id"]
            ).exists():
                continue
            AgreementConsent.objects.create(agreement=agreement, level=level, **row)
            ModelLogEntry.objects.create(
                content_type=content_type,
                object_id=str(agreement.pk),
                label=agreement.title or f"#{agreement.pk}",
                action="library.consent.given",
                timestamp=row["decided_at"],
                user_id=row.get("recorded_by_staff_id") or row.get("given_by_id"),
                data={
                    "party_id": row["organisation_id"],
                    "new": level,
                    "via": row["via"],
                    **({"note": row["note"]} if row["note"] else {}),
                },
            )
        if agreement.status != "published":
            # Not shown yet: internal until the municipality answers (asked at publishing).
            Agreement.objects.filter(pk=agreement.pk).update(consent="internal")


def carry_events_over(apps, schema_editor):
    AgreementEvent = apps.get_model("library", "AgreementEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    content_type, _ = ContentType.objects.get_or_create(app_label="library", model="agreement")
    entries = []
    for event in AgreementEvent.objects.select_related("agreement").order_by("at", "pk"):
        data = {
            key: value
            for key, value in (
                ("old_status", event.old_status),
                ("status", event.new_status),
                ("old", event.old_consent),
                ("new", event.new_consent),
                ("note", event.note),
            )
            if value
        }
        data["from_agreement_event"] = event.pk
        entries.append(
            ModelLogEntry(
                content_type=content_type,
                object_id=str(event.agreement_id),
                label=event.agreement.title or f"#{event.agreement_id}",
                action=EVENT_ACTIONS.get(event.action, "library.agreement.status_changed"),
                timestamp=event.at,
                user_id=event.actor_id,
                data=data,
            )
        )
    ModelLogEntry.objects.bulk_create(entries)


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0004_party_consent"),
        ("wagtailcore", "0094_alter_page_locale"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(record_consent_of_published, migrations.RunPython.noop),
        migrations.RunPython(carry_events_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="AgreementEvent"),
    ]
