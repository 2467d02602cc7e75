"""The person's own data: "Hent mine data" (everything held about them), "Slet min konto"
(delete the person, keep what belongs to others) and the retention rules.

What stays after a deletion, and why:
- registrations stay as anonymous rows (`meetings.services.anonymise_registrations`), so
  seat counts and attendance figures are unchanged; upcoming seats are cancelled first,
  so the waitlist moves up;
- memberships they signed stay with the organisation (the party); `signed_up_by` is
  emptied by the foreign key (SET_NULL);
- questionnaire answers (agreements) they submitted stay with the organisation;
  `submitted_by` is emptied (SET_NULL);
- affiliations and e-mail addresses go with the person;
- audit entries stay (Wagtail's log outlives its objects); labels that carried the
  person's name are rewritten to the anonymous label.

Documented for users on the privacy page and for operators in docs/operations.md.
"""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry, PageLogEntry

from meetings import services as meeting_services
from meetings.models import MessageRecipient, Registration
from network.access import APPROVE_MEMBERSHIPS, staff_recipients
from network.library.models import Agreement, AgreementConsent
from network.models import Affiliation, Membership

from . import audit, audit_actions, emails
from .models import User

UNCONFIRMED_ACCOUNT_DAYS_DEFAULT = 30


def _when(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


# --- Export ----------------------------------------------------------------------------


def _own_objects_q(person) -> Q:
    """Log entries on the person's own objects: the account, their affiliations, the
    memberships they signed, their registrations and the answers they submitted."""
    pairs = [
        (User, [person.pk]),
        (Affiliation, Affiliation.objects.filter(person=person).values_list("pk", flat=True)),
        (
            Membership,
            Membership.objects.filter(signed_up_by=person).values_list("pk", flat=True),
        ),
        (
            Registration,
            Registration.objects.filter(person=person).values_list("pk", flat=True),
        ),
        (Agreement, Agreement.objects.filter(submitted_by=person).values_list("pk", flat=True)),
    ]
    q = Q(pk__in=[])
    for model, pks in pairs:
        content_type = ContentType.objects.get_for_model(model)
        q |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    return q


def _log_entry(entry) -> dict:
    action = log_registry.get_action_label(entry.action) if entry.action else ""
    return {
        "when": _when(entry.timestamp),
        "action": entry.action,
        "action_label": str(action),
        "object": entry.label,
        "by_me": entry.user_id is not None and entry.user_id == entry._person_pk,
        "data": entry.data or {},
    }


def audit_entries(person) -> list[dict]:
    """Entries where the person acted, and entries on their own objects, newest first."""
    model_entries = ModelLogEntry.objects.filter(Q(user_id=person.pk) | _own_objects_q(person))
    page_entries = PageLogEntry.objects.filter(user_id=person.pk)
    entries = sorted(
        [*model_entries, *page_entries], key=lambda e: (e.timestamp, e.pk), reverse=True
    )
    for entry in entries:
        entry._person_pk = person.pk
    return [_log_entry(entry) for entry in entries]


def collect(person) -> dict:
    """Everything the portal holds about `person`, as JSON-ready data."""
    registrations = Registration.objects.filter(person=person).select_related(
        "meeting", "organisation"
    )
    agreements = (
        Agreement.objects.filter(submitted_by=person)
        .select_related("submitting_organisation", "municipality")
        .prefetch_related("housing_organisations")
    )
    return {
        "generated_at": _when(timezone.now()),
        "profile": {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "job_title": person.job_title,
            "phone": person.phone,
            "date_joined": _when(person.date_joined),
            "last_login": _when(person.last_login),
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=person).order_by("-primary", "email")
        ],
        "affiliations": [
            {
                "organisation": str(a.organisation),
                "role": a.get_role_display(),
                "status": a.get_status_display(),
                "verified_via": a.get_verified_via_display(),
                "verified_email": a.verified_email,
                "listed_in_directory": a.listed_in_directory,
                "decided_at": _when(a.decided_at),
            }
            for a in Affiliation.objects.filter(person=person).select_related("organisation")
        ],
        "memberships_signed": [
            {
                "organisation": str(m.organisation),
                "network": m.network.title,
                "year": m.year,
                "status": m.get_status_display(),
                "ean": m.ean,
                "purchase_reference": m.purchase_reference,
                "invoice_contact_name": m.invoice_contact_name,
                "invoice_contact_email": m.invoice_contact_email,
                "terms_accepted_at": _when(m.terms_accepted_at),
            }
            for m in Membership.objects.filter(signed_up_by=person).select_related(
                "organisation", "network"
            )
        ],
        "registrations": [
            {
                "meeting": r.meeting.title,
                "meeting_start": _when(r.meeting.start),
                "organisation": str(r.organisation) if r.organisation_id else "",
                "kind": r.get_kind_display(),
                "status": r.get_status_display(),
                "dietary_needs": r.dietary_needs,
                "accessibility_needs": r.accessibility_needs,
                "joins_dinner": r.joins_dinner,
                "registered_at": _when(r.created_at),
                "cancelled_at": _when(r.cancelled_at),
                "attended_at": _when(r.attended_at),
            }
            for r in registrations
        ],
        "answers_submitted": [
            {
                "title": a.title,
                "description": a.description,
                "submitting_organisation": str(a.submitting_organisation or ""),
                "municipality": str(a.municipality or ""),
                "housing_organisations": [str(o) for o in a.housing_organisations.all()],
                "status": a.get_status_display(),
                "submitted_at": _when(a.submitted_at),
            }
            for a in agreements
        ],
        # The consents the person gave for a party (at submission, through the e-mailed
        # link or on Min side), per agreement and party.
        "consents_given": [
            {
                "agreement": c.agreement.title,
                "party": c.organisation.name,
                "consent": c.get_level_display(),
                "via": c.get_via_display(),
                "given_at": _when(c.decided_at),
            }
            for c in AgreementConsent.objects.filter(given_by=person)
            .select_related("agreement", "organisation")
            .order_by("decided_at", "pk")
        ],
        # Staff's messages to the person (meetings.messages): what was sent, when.
        "messages_received": [
            {
                "subject": r.message.subject,
                "sent_at": _when(r.queued_at or r.message.created_at),
            }
            for r in MessageRecipient.objects.filter(person=person)
            .select_related("message")
            .order_by("message__created_at", "pk")
        ],
        "audit_entries": audit_entries(person),
    }


def record_export(person, *, file_format: str) -> None:
    audit.record(person, audit_actions.DATA_EXPORTED, by=person, data={"format": file_format})


# --- Deletion --------------------------------------------------------------------------


def sole_contact_memberships(person, *, on=None) -> list[Membership]:
    """Applied or active memberships (this year or later) of organisations where `person`
    is the only verified contact person: they need to know what happens to them."""
    year = timezone.localdate(on or timezone.now()).year
    mine = Affiliation.objects.verified().filter(
        person=person, role=Affiliation.Role.CONTACT_PERSON
    )
    sole = [
        a.organisation_id
        for a in mine
        if not Affiliation.objects.verified()
        .filter(organisation_id=a.organisation_id, role=Affiliation.Role.CONTACT_PERSON)
        .exclude(person=person)
        .exists()
    ]
    return list(
        Membership.objects.filter(
            organisation_id__in=sole,
            year__gte=year,
            status__in=[Membership.Status.APPLIED, Membership.Status.ACTIVE],
        )
        .select_related("organisation", "network")
        .order_by("organisation__name", "year")
    )


def _scrub_labels(model, pks, label) -> None:
    content_type = ContentType.objects.get_for_model(model)
    ModelLogEntry.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in pks]
    ).update(label=label)


def delete_account(person, *, by=None, reason: str = "self", now=None) -> dict:
    """Delete `person`, keeping what belongs to others (see the module docstring).
    `by` is who acts (the person themselves, or None for the retention task). Returns
    what was done, as counts; logs one `portal.account.deleted` entry."""
    now = now or timezone.now()
    if person.is_superuser:
        raise ValidationError(_("An administrator's account cannot be deleted here."))
    with transaction.atomic():
        sole = sole_contact_memberships(person, on=now)
        cancelled = 0
        for registration in Registration.objects.active().filter(
            person=person, meeting__end__gte=now
        ):
            try:
                meeting_services.cancel(registration=registration, cancelled_by=person, now=now)
                cancelled += 1
            except ValidationError:
                pass  # under way: the row stays, anonymised below
        anonymised = meeting_services.anonymise_registrations(
            Registration.objects.filter(person=person), by=by, reason="account_deleted", now=now
        )
        memberships = Membership.objects.filter(signed_up_by=person).count()
        answers = Agreement.objects.filter(submitted_by=person).count()
        affiliation_pks = list(
            Affiliation.objects.filter(person=person).values_list("pk", flat=True)
        )
        _scrub_labels(Affiliation, affiliation_pks, _("Affiliation of a deleted account"))
        _scrub_labels(User, [person.pk], _("Deleted account"))
        emails.forget_recipient(person.email)
        summary = {
            "reason": reason,
            "registrations_cancelled": cancelled,
            "registrations_anonymised": anonymised,
            "memberships_kept": memberships,
            "answers_kept": answers,
            "affiliations_removed": len(affiliation_pks),
            "sole_contact_of": sorted({m.organisation.name for m in sole}),
        }
        audit.record(
            person,
            audit_actions.ACCOUNT_DELETED,
            by=by,
            data=summary,
            title=_("Deleted account #%(pk)s") % {"pk": person.pk},
        )
        if sole:
            emails.send_on_commit(
                subject=_("A contact person has deleted their account"),
                template="portal/email/sole_contact_deleted.txt",
                context={"memberships": sole},
                recipients=staff_recipients(APPROVE_MEMBERSHIPS),
            )
        person.delete()
    return summary


# --- Retention -------------------------------------------------------------------------


def unconfirmed_accounts(*, now=None):
    """Accounts from the sign-up form (they have an e-mail address record) that never
    confirmed any address, older than `UNCONFIRMED_ACCOUNT_DAYS` (30). Staff accounts and
    accounts made by hand (no address record) are never touched."""
    now = now or timezone.now()
    days = getattr(settings, "UNCONFIRMED_ACCOUNT_DAYS", UNCONFIRMED_ACCOUNT_DAYS_DEFAULT)
    return (
        User.objects.filter(
            date_joined__lt=now - datetime.timedelta(days=days),
            is_staff=False,
            is_superuser=False,
            emailaddress__isnull=False,
        )
        .exclude(emailaddress__verified=True)
        .distinct()
    )


def apply_retention(*, now=None) -> dict:
    """The scheduled retention run: anonymise registrations of meetings older than the
    retention period, delete unconfirmed accounts older than 30 days and the record of
    e-mail sent or failed longer ago than `EMAIL_RETENTION_DAYS` (30). Idempotent: a
    second run finds nothing left to do."""
    now = now or timezone.now()
    anonymised = meeting_services.anonymise_old_registrations(now=now)
    deleted = 0
    for person in list(unconfirmed_accounts(now=now)):
        delete_account(person, by=None, reason="unconfirmed", now=now)
        deleted += 1
    return {
        "registrations_anonymised": anonymised,
        "accounts_deleted": deleted,
        "emails_deleted": emails.delete_old(now=now),
    }
