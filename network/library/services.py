"""Agreement workflow: answer the questionnaire, review, withdraw consent.

Every function runs in one transaction, raises translated `ValidationError`s (or
`PermissionDenied`) before it changes anything, records an `AgreementEvent` for every
change of status or consent, and sends e-mail only after the transaction commits.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.search import index

from network.access import users_with_permission
from network.models import Organisation
from network.services import verified_organisations
from portal import private_files
from portal.models import Contact
from portal.regions import Region

from .access import DECIDE_PERMISSION, can_decide_agreements
from .models import Agreement, AgreementCallPage, AgreementEvent, Topic

ANSWERING_KINDS = [Organisation.Kind.HOUSING_ORGANISATION, Organisation.Kind.ADMINISTRATION_COMPANY]


# --- The questionnaire -------------------------------------------------------------------


def answerable_organisations(person):
    """Organisations the person may answer for: their verified housing organisations and
    administration companies."""
    return verified_organisations(person).filter(kind__in=ANSWERING_KINDS).order_by("name")


def administered_by_person(person):
    """Housing organisations run by the person's administration companies."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.HOUSING_ORGANISATION,
        administered_by__in=answerable_organisations(person).filter(
            kind=Organisation.Kind.ADMINISTRATION_COMPANY
        ),
    ).order_by("name")


def _validate_answer(
    *,
    call: AgreementCallPage,
    person,
    answer: Agreement | None,
    submit: bool,
    organisation: Organisation | None,
    on_behalf_of: list[Organisation],
    municipality: Organisation | None,
    state: str,
    topics: list[Topic],
    valid_from,
    valid_to,
    document,
    consent: str,
    parties_agree: bool,
) -> None:
    if not call.is_open():
        raise ValidationError(
            _(
                "The deadline for this questionnaire has passed. Contact us if you still want to answer."
            ),
            code="closed",
        )
    if answer is not None and (answer.submitted_by_id != person.pk or not answer.is_draft):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if organisation is not None:
        if not answerable_organisations(person).filter(pk=organisation.pk).exists():
            add("organisation", _("You can only answer for an organisation you are connected to."))
        elif organisation.kind == Organisation.Kind.ADMINISTRATION_COMPANY:
            administered = set(organisation.administered_organisations.values_list("pk", flat=True))
            if any(org.pk not in administered for org in on_behalf_of):
                add(
                    "on_behalf_of",
                    _("Choose only housing organisations that %(company)s administers.")
                    % {"company": organisation.name},
                )
            elif submit and not on_behalf_of:
                add(
                    "on_behalf_of",
                    _("Choose the housing organisations this answer covers."),
                )
        elif on_behalf_of:
            add(
                "on_behalf_of",
                _("Only an administration company answers on behalf of other organisations."),
            )
    elif submit:
        add("organisation", _("Choose the organisation you answer for."))

    if municipality is not None and municipality.kind != Organisation.Kind.MUNICIPALITY:
        add("municipality", _("Choose a municipality."))
    if valid_from and valid_to and valid_to < valid_from:
        add("valid_to", _("The agreement cannot end before it starts."))

    if submit:
        if municipality is None:
            add("municipality", _("Choose the municipality."))
        if not state:
            add("state", _("Tell us whether there is an agreement."))
        if state and state != Agreement.State.NONE and not topics:
            add("topics", _("Choose at least one topic."))
        has_document = bool(document) or bool(answer and answer.document)
        if state == Agreement.State.SIGNED and not has_document:
            add("document", _("Attach the signed agreement."))
        if not consent:
            add("consent", _("Choose what we may share."))
        if (
            consent in (Agreement.Consent.PUBLIC, Agreement.Consent.MEMBERS)
            and state != Agreement.State.NONE
            and not parties_agree
        ):
            add(
                "parties_agree",
                _("Confirm that the parties agree to the agreement being shared."),
            )
    if errors:
        raise ValidationError(errors)


def agreement_title(*, municipality: Organisation | None, parties: Iterable[Organisation]) -> str:
    names = [org.name for org in parties]
    if municipality is None:
        return ", ".join(names)
    if not names:
        return municipality.name
    return _("%(municipality)s and %(parties)s") % {
        "municipality": municipality.name,
        "parties": ", ".join(names),
    }


@transaction.atomic
def save_answer(
    *,
    call: AgreementCallPage,
    person,
    submit: bool,
    answer: Agreement | None = None,
    organisation: Organisation | None = None,
    on_behalf_of: Iterable[Organisation] = (),
    municipality: Organisation | None = None,
    other_parties: str = "",
    state: str = "",
    topics: Iterable[Topic] = (),
    signed_on: datetime.date | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    dwellings_per_year: int | None = None,
    vacant_share: decimal.Decimal | None = None,
    description: str = "",
    document=None,
    remove_document: bool = False,
    consent: str = "",
    parties_agree: bool = False,
) -> Agreement:
    """Save the questionnaire as a draft (`submit=False`: nothing is required yet) or
    submit it for review. A draft is only ever the author's; nothing is shown anywhere
    before an editor publishes it."""
    on_behalf_of = list(on_behalf_of)
    topics = list(topics)
    if answer is not None:
        answer = Agreement.objects.select_for_update().get(pk=answer.pk)
    _validate_answer(
        call=call,
        person=person,
        answer=answer,
        submit=submit,
        organisation=organisation,
        on_behalf_of=on_behalf_of,
        municipality=municipality,
        state=state,
        topics=topics,
        valid_from=valid_from,
        valid_to=valid_to,
        document=document,
        consent=consent,
        parties_agree=parties_agree,
    )
    if document:
        # Checked by the questionnaire form's field; callers without a form are checked here.
        try:
            private_files.checked_kind(document, private_files.DOCUMENTS)
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from error

    if answer is None:
        answer = Agreement(call=call, submitted_by=person)
    old_file = answer.document.name if answer.document else ""
    answer.submitting_organisation = organisation
    answer.municipality = municipality
    answer.other_parties = other_parties.strip()
    answer.state = state
    no_agreement = state == Agreement.State.NONE
    answer.signed_on = None if no_agreement else signed_on
    answer.valid_from = None if no_agreement else valid_from
    answer.valid_to = None if no_agreement else valid_to
    answer.dwellings_per_year = dwellings_per_year
    answer.vacant_share = vacant_share
    answer.description = description.strip()
    answer.consent = consent
    document_field = Agreement._meta.get_field("document")
    if remove_document or no_agreement:
        # "No agreement" answers keep no document, even if one was chosen.
        document_field.detach(answer)
    elif document:
        document_field.attach(answer, document)
    if submit:
        answer.status = Agreement.Status.SUBMITTED
        answer.submitted_at = timezone.now()
    answer.save()

    parties = on_behalf_of if on_behalf_of else ([organisation] if organisation else [])
    answer.housing_organisations.set(
        [org for org in parties if org.kind == Organisation.Kind.HOUSING_ORGANISATION]
    )
    answer.topics.set([] if no_agreement else topics)
    if submit:
        answer.title = agreement_title(
            municipality=municipality, parties=answer.housing_organisations.all()
        )[:255]
        answer.save(update_fields=["title"])
        _record(answer, AgreementEvent.Action.SUBMITTED, person, old_status=Agreement.Status.DRAFT)
        transaction.on_commit(lambda: _mail_submitted(answer))
    if old_file and old_file != (answer.document.name or ""):
        storage = answer.document.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return answer


# --- Review --------------------------------------------------------------------------------


def _locked(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _require_reviewer(user) -> None:
    if not can_decide_agreements(user):
        raise PermissionDenied


@transaction.atomic
def publish(*, agreement: Agreement, by) -> Agreement:
    """Publish a reviewed answer: it is then counted in the overview and shown within its
    consent (never beyond it). What is missing is raised per field (`title`,
    `municipality`, `consent`, and `summary` for an answer the library shows)."""
    _require_reviewer(by)
    agreement = _locked(agreement)
    if agreement.status == Agreement.Status.PUBLISHED:
        return agreement
    if not agreement.can_be_reviewed():
        raise ValidationError(_("Only submitted answers can be published."), code="status")
    errors = {
        field: [_("Fill this in before publishing.")]
        for field, value in (
            ("title", agreement.title),
            ("municipality", agreement.municipality_id),
            ("consent", agreement.consent),
        )
        if not value
    }
    if agreement.shown_in_library and not agreement.summary.strip():
        errors["summary"] = [
            _("Write a summary before publishing: the library shows it with the agreement.")
        ]
    if errors:
        raise ValidationError(errors, code="incomplete")
    old_status = agreement.status
    agreement.status = Agreement.Status.PUBLISHED
    agreement.rejection_reason = ""
    agreement.reviewed_by = by
    agreement.reviewed_at = timezone.now()
    agreement.save()
    _record(agreement, AgreementEvent.Action.PUBLISHED, by, old_status=old_status)
    transaction.on_commit(lambda: _mail_submitter(agreement, "published"))
    return agreement


@transaction.atomic
def reject(*, agreement: Agreement, by, reason: str) -> Agreement:
    """Reject an answer; the reason is e-mailed to the person who submitted it."""
    _require_reviewer(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason; it is sent to the submitter.")})
    agreement = _locked(agreement)
    if not agreement.can_be_reviewed():
        raise ValidationError(_("Only submitted answers can be rejected."), code="status")
    old_status = agreement.status
    agreement.status = Agreement.Status.REJECTED
    agreement.rejection_reason = reason
    agreement.reviewed_by = by
    agreement.reviewed_at = timezone.now()
    agreement.save()
    _record(agreement, AgreementEvent.Action.REJECTED, by, old_status=old_status, note=reason)
    transaction.on_commit(lambda: _mail_submitter(agreement, "rejected"))
    return agreement


@transaction.atomic
def change_consent(*, agreement: Agreement, by, consent: str, note: str = "") -> Agreement:
    """Staff correct the consent (e.g. on the parties' request); always audited."""
    _require_reviewer(by)
    if consent not in Agreement.Consent.values:
        raise ValidationError({"consent": _("Choose a valid consent.")})
    agreement = _locked(agreement)
    if agreement.consent == consent:
        return agreement
    old_consent = agreement.consent
    agreement.consent = consent
    agreement.save()
    _record(
        agreement, AgreementEvent.Action.CONSENT_CHANGED, by, old_consent=old_consent, note=note
    )
    return agreement


def can_withdraw(*, agreement: Agreement, person) -> bool:
    """The submitter, or anyone verified in the submitting organisation, may withdraw."""
    if not getattr(person, "is_authenticated", False) or not agreement.can_be_withdrawn():
        return False
    if agreement.submitted_by_id == person.pk:
        return True
    return (
        agreement.submitting_organisation_id is not None
        and verified_organisations(person).filter(pk=agreement.submitting_organisation_id).exists()
    )


@transaction.atomic
def withdraw_consent(*, agreement: Agreement, person) -> Agreement:
    """Withdraw the consent to share: the agreement leaves the library, search and the
    overview at once. Staff are told."""
    agreement = _locked(agreement)
    if not can_withdraw(agreement=agreement, person=person):
        raise PermissionDenied
    old_status = agreement.status
    agreement.status = Agreement.Status.WITHDRAWN
    agreement.save()
    _record(agreement, AgreementEvent.Action.WITHDRAWN, person, old_status=old_status)
    transaction.on_commit(lambda: _mail_staff_withdrawn(agreement, person))
    return agreement


@transaction.atomic
def save_review_edits(*, agreement: Agreement, by, old_status: str, old_consent: str) -> None:
    """Audit what an editor changed through the admin's edit form."""
    if agreement.consent != old_consent:
        _record(agreement, AgreementEvent.Action.CONSENT_CHANGED, by, old_consent=old_consent)
    if agreement.status != old_status:
        _record(agreement, AgreementEvent.Action.STATUS_CHANGED, by, old_status=old_status)
    index.insert_or_update_object(agreement)


def _record(agreement, action, actor, *, old_status=None, old_consent=None, note="") -> None:
    AgreementEvent.objects.create(
        agreement=agreement,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        old_status=agreement.status if old_status is None else old_status,
        new_status=agreement.status,
        old_consent=agreement.consent if old_consent is None else old_consent,
        new_consent=agreement.consent,
        note=note,
    )
    # The search index must never lag behind a change of visibility (another backend
    # than the database one keeps copies of the filter fields).
    index.insert_or_update_object(agreement)


# --- E-mail ----------------------------------------------------------------------------


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(subject: str, template: str, context: dict, recipients: list[str]) -> None:
    recipients = [r for r in recipients if r]
    if not recipients:
        return
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )


def _mail_submitted(agreement: Agreement) -> None:
    context = {"agreement": agreement, "min_side_url": _site_url("/min-side/")}
    if agreement.submitted_by:
        _send(
            _("We have received your answer"),
            "library/emails/submitted_receipt.txt",
            context,
            [agreement.submitted_by.email],
        )
    _send(
        _("New agreement answer to review: %(title)s") % {"title": agreement.title},
        "library/emails/submitted_staff.txt",
        {**context, "admin_url": _site_url(admin_edit_path(agreement))},
        _staff_recipients(),
    )


def _mail_submitter(agreement: Agreement, outcome: str) -> None:
    if not agreement.submitted_by:
        return
    url = agreement.get_absolute_url() if agreement.is_published else None
    subjects = {
        "published": _("Your agreement has been approved"),
        "rejected": _("Your agreement answer could not be used"),
    }
    _send(
        subjects[outcome],
        f"library/emails/{outcome}.txt",
        {"agreement": agreement, "agreement_url": _site_url(url) if url else ""},
        [agreement.submitted_by.email],
    )


def _mail_staff_withdrawn(agreement: Agreement, person) -> None:
    _send(
        _("Consent withdrawn: %(title)s") % {"title": agreement.title},
        "library/emails/withdrawn_staff.txt",
        {
            "agreement": agreement,
            "person": person,
            "admin_url": _site_url(admin_edit_path(agreement)),
        },
        _staff_recipients(),
    )


def _staff_recipients() -> list[str]:
    """`STAFF_NOTIFICATION_EMAILS` and the reviewers (`access.can_decide_agreements`)."""
    reviewers = [
        person
        for person in users_with_permission(DECIDE_PERMISSION).exclude(email="")
        if can_decide_agreements(person)
    ]
    return sorted({*settings.STAFF_NOTIFICATION_EMAILS, *(p.email for p in reviewers)})


def admin_edit_path(agreement: Agreement) -> str:
    from django.urls import reverse

    return reverse("library_agreement:edit", args=[agreement.pk])


# --- District consultants ------------------------------------------------------------------


def district_consultants_for(request) -> dict:
    """The district consultant(s) for the reader's region: the region chosen on the page,
    else the region of the reader's own organisations."""
    region = request.GET.get("region", "")
    if region not in Region.values:
        region = ""
        for org in verified_organisations(request.user).only("region", "kind"):
            if org.region:
                region = org.region
                break
    consultants = list(Contact.objects.filter(region=region).order_by("name")) if region else []
    return {
        "consultant_region": region,
        "consultant_region_label": Region(region).label if region else "",
        "district_consultants": consultants,
        "regions": Region.choices,
    }
