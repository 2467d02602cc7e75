"""Agreement workflow: answer the questionnaire, review, the parties' consent.

Every function runs in one transaction, raises translated `ValidationError`s (or
`PermissionDenied`) before it changes anything, writes every change of status or of a
party's consent to the audit trail (`portal.audit`, Wagtail's log), and sends e-mail
through the network app's pipeline only after the transaction commits.

Consent is per party: the submitter consents for the housing organisation(s) it answers
for when submitting; the municipality is asked by e-mail (a signed link) once the answer
is published; staff can register a consent received by other means, with a note. After
every change `_refresh_consent` stores the level the agreement is shown at
(`models.effective_level`) in the same transaction.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Collection, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.search import index

from network.access import staff_recipients
from network.models import Organisation
from portal import audit, emails, private_files
from portal.models import Contact
from portal.regions import Region

from . import audit_actions as actions
from . import fragments
from .access import (
    DECIDE_PERMISSION,
    REVIEW_PERMISSION,
    can_consent_for,
    can_decide_agreements,
    can_record_consent,
    municipality_consent_people,
)
from .models import Agreement, AgreementCallPage, AgreementConsent, Topic

ANSWERING_KINDS = [Organisation.Kind.HOUSING_ORGANISATION, Organisation.Kind.ADMINISTRATION_COMPANY]


# --- The questionnaire -------------------------------------------------------------------


def answerable_organisations(person):
    """Organisations the person may answer for: their verified housing organisations and
    administration companies."""
    return (
        Organisation.objects.verified_for(person).filter(kind__in=ANSWERING_KINDS).order_by("name")
    )


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
    complete: Collection[str] = (),
) -> None:
    """Raise the answer's errors. Whatever is filled in must be valid; on `submit` every
    answer is needed, and `complete` names the fields that are needed already (the
    questionnaire's "Next" asks the fields of the step being left)."""
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

    def needed(field) -> bool:
        return submit or field in complete

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
            elif needed("on_behalf_of") and not on_behalf_of:
                add(
                    "on_behalf_of",
                    _("Choose the housing organisations this answer covers."),
                )
        elif on_behalf_of:
            add(
                "on_behalf_of",
                _("Only an administration company answers on behalf of other organisations."),
            )
    elif needed("organisation"):
        add("organisation", _("Choose the organisation you answer for."))

    if municipality is not None and municipality.kind != Organisation.Kind.MUNICIPALITY:
        add("municipality", _("Choose a municipality."))
    if valid_from and valid_to and valid_to < valid_from:
        add("valid_to", _("The agreement cannot end before it starts."))

    if needed("municipality") and municipality is None:
        add("municipality", _("Choose the municipality."))
    if needed("state") and not state:
        add("state", _("Tell us whether there is an agreement."))
    if needed("topics") and state and state != Agreement.State.NONE and not topics:
        add("topics", _("Choose at least one topic."))
    has_document = bool(document) or bool(answer and answer.document)
    if needed("document") and state == Agreement.State.SIGNED and not has_document:
        add("document", _("Attach the signed agreement."))
    if needed("consent") and not consent:
        add("consent", _("Choose what we may share."))
    if (
        needed("parties_agree")
        and consent in (Agreement.Consent.PUBLIC, Agreement.Consent.MEMBERS)
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
    complete: Collection[str] = (),
) -> Agreement:
    """Save the questionnaire as a draft (`submit=False`: nothing is required yet, except
    the fields named in `complete`) or submit it for review. A draft is only ever the
    author's; nothing is shown anywhere before an editor publishes it."""
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
        complete=complete,
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
    answer.parties_agree = parties_agree
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
        _record(answer, actions.SUBMITTED, person, old_status=Agreement.Status.DRAFT)
        # The submitter consents for the housing organisation(s) it answers for; the
        # agreement stays internal until the municipality has answered too.
        for party in answer.party_ids():
            if party != answer.municipality_id:
                _set_party_consent(
                    answer,
                    Organisation.objects.get(pk=party),
                    consent,
                    by=person,
                    given_by=person,
                    via=AgreementConsent.Via.SUBMISSION,
                )
        _refresh_consent(answer, person)
        transaction.on_commit(lambda: _mail_submitted(answer))
    if old_file and old_file != (answer.document.name or ""):
        storage = answer.document.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return answer


def answer_arguments(answer: Agreement) -> dict:
    """The stored answers of `answer`, as `save_answer` takes them (the document apart):
    the questionnaire fills its steps from them and sends a draft with them."""
    organisation = answer.submitting_organisation
    answers_for_others = (
        organisation is not None and organisation.kind == Organisation.Kind.ADMINISTRATION_COMPANY
    )
    return {
        "organisation": organisation,
        "on_behalf_of": list(answer.housing_organisations.all()) if answers_for_others else [],
        "municipality": answer.municipality,
        "other_parties": answer.other_parties,
        "state": answer.state,
        "topics": list(answer.topics.all()),
        "signed_on": answer.signed_on,
        "valid_from": answer.valid_from,
        "valid_to": answer.valid_to,
        "dwellings_per_year": answer.dwellings_per_year,
        "vacant_share": answer.vacant_share,
        "description": answer.description,
        "consent": answer.consent,
        "parties_agree": answer.parties_agree,
    }


def missing_answers(
    *, call: AgreementCallPage, person, answer: Agreement, fields: Collection[str]
) -> dict[str, list[str]]:
    """What sending the draft `answer` as stored would say about `fields` (nothing is
    saved): a step of the questionnaire is done when none of its fields has an error."""
    stored = answer_arguments(answer)
    for name in ("other_parties", "signed_on", "dwellings_per_year", "vacant_share", "description"):
        del stored[name]  # not checked
    try:
        _validate_answer(
            call=call,
            person=person,
            answer=answer,
            submit=False,
            complete=fields,
            document=None,
            **stored,
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        return {name: errors for name, errors in error.message_dict.items() if name in fields}
    return {}


@transaction.atomic
def keep_document(*, call: AgreementCallPage, person, answer: Agreement | None, document):
    """Keep a checked upload on the author's draft (made now if there is none yet) when
    the rest of the questionnaire's step has errors, so the file is not lost: stored
    privately, opened by the author only (the document's access rule), and it goes with
    the answer when it is sent."""
    if not call.is_open():
        raise ValidationError(
            _(
                "The deadline for this questionnaire has passed. Contact us if you still want to answer."
            ),
            code="closed",
        )
    if answer is None:
        answer = Agreement(call=call, submitted_by=person)
    else:
        answer = Agreement.objects.select_for_update().get(pk=answer.pk)
        if answer.submitted_by_id != person.pk or not answer.is_draft:
            raise PermissionDenied
    old_file = answer.document.name if answer.document else ""
    Agreement._meta.get_field("document").attach(answer, document)
    answer.save()
    if old_file:
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
    _record(agreement, actions.PUBLISHED, by, old_status=old_status)
    _refresh_consent(agreement, by)
    if agreement.shown_in_library:
        ask_municipality(agreement=agreement, by=by)
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
    _record(agreement, actions.REJECTED, by, old_status=old_status, note=reason)
    transaction.on_commit(lambda: _mail_submitter(agreement, "rejected"))
    return agreement


def can_withdraw(*, agreement: Agreement, person, organisation_ids=None) -> bool:
    """The submitter, or anyone verified in the submitting organisation, may withdraw.
    A listing passes `organisation_ids` (the person's verified organisations, looked up
    once) so it asks no query per row."""
    if not getattr(person, "is_authenticated", False) or not agreement.can_be_withdrawn():
        return False
    if agreement.submitted_by_id == person.pk:
        return True
    if agreement.submitting_organisation_id is None:
        return False
    if organisation_ids is not None:
        return agreement.submitting_organisation_id in organisation_ids
    return (
        Organisation.objects.verified_for(person)
        .filter(pk=agreement.submitting_organisation_id)
        .exists()
    )


@transaction.atomic
def withdraw_consent(*, agreement: Agreement, person) -> Agreement:
    """Withdraw the consent to share: the agreement leaves the library, search and the
    overview at once; the housing organisations' consent becomes "declined". Staff are
    told."""
    agreement = _locked(agreement)
    if not can_withdraw(agreement=agreement, person=person):
        raise PermissionDenied
    old_status = agreement.status
    agreement.status = Agreement.Status.WITHDRAWN
    agreement.save()
    _record(agreement, actions.WITHDRAWN, person, old_status=old_status)
    for party in Organisation.objects.filter(pk__in=agreement.party_ids()).exclude(
        pk=agreement.municipality_id
    ):
        _set_party_consent(
            agreement,
            party,
            AgreementConsent.Level.DECLINED,
            by=person,
            given_by=person,
            via=AgreementConsent.Via.MY_PAGE,
        )
    _refresh_consent(agreement, person)
    transaction.on_commit(lambda: _mail_staff_withdrawn(agreement, person))
    return agreement


@transaction.atomic
def save_review_edits(*, agreement: Agreement, by, old_status: str) -> None:
    """Audit what an editor changed through the admin's edit form; a change of the
    parties changes who must consent, so the level shown is recomputed."""
    if agreement.status != old_status:
        _record(agreement, actions.STATUS_CHANGED, by, old_status=old_status)
    _refresh_consent(agreement, by)
    index.insert_or_update_object(agreement)


def _record(agreement, action, actor, *, old_status=None, note="", **data) -> None:
    details = {"status": agreement.status, **data}
    if old_status is not None and old_status != agreement.status:
        details["old_status"] = old_status
    if note:
        details["note"] = note
    audit.record(agreement, action, by=actor, data=details)
    # The search index must never lag behind a change of visibility (another backend
    # than the database one keeps copies of the filter fields).
    index.insert_or_update_object(agreement)


# --- Consent per party ----------------------------------------------------------------


LEVEL_RANK = {
    AgreementConsent.Level.PUBLIC: 0,
    AgreementConsent.Level.MEMBERS: 1,
    AgreementConsent.Level.INTERNAL: 2,
    AgreementConsent.Level.DECLINED: 3,
}


def _set_party_consent(
    agreement: Agreement,
    organisation: Organisation,
    level: str,
    *,
    by,
    via: str,
    given_by=None,
    recorded_by_staff=None,
    note: str = "",
) -> AgreementConsent:
    """Create or change one party's answer and write it to the audit trail. The caller
    refreshes the agreement's level (`_refresh_consent`) in the same transaction."""
    existing = (
        AgreementConsent.objects.select_for_update()
        .filter(agreement=agreement, organisation=organisation)
        .first()
    )
    old_level = existing.level if existing else ""
    consent = existing or AgreementConsent(agreement=agreement, organisation=organisation)
    consent.level = level
    consent.given_by = given_by
    consent.recorded_by_staff = recorded_by_staff
    consent.note = note
    consent.via = via
    consent.decided_at = timezone.now()
    consent.save()
    data = {
        "party": organisation.name,
        "party_id": organisation.pk,
        "new": level,
        "via": via,
    }
    if old_level:
        data["old"] = old_level
    if note:
        data["note"] = note
    if given_by is not None and given_by != by:
        data["given_by"] = str(given_by)
    audit.record(
        agreement,
        actions.CONSENT_CHANGED if existing else actions.CONSENT_GIVEN,
        by=by,
        data=data,
    )
    return consent


def _refresh_consent(agreement: Agreement, by) -> str:
    """Store the level the agreement is shown at, derived from the parties' answers
    (`Agreement.compute_consent`), and audit a change."""
    new = agreement.compute_consent()
    old = Agreement.objects.filter(pk=agreement.pk).values_list("consent", flat=True).first()
    if new != old:
        Agreement.objects.filter(pk=agreement.pk).update(consent=new)
        fragments.forget()  # an update sends no signal: the kept library pages change
        agreement.consent = new
        audit.record(
            agreement,
            actions.SHOWN_AS_CHANGED,
            by=by,
            data={"old": old or "", "new": new},
        )
        index.insert_or_update_object(agreement)
    return new


def consent_choices(agreement: Agreement, organisation: Organisation, *, staff: bool = False):
    """The answers a party may choose now: any level at first; afterwards the same or a
    narrower one (a party narrows or withdraws at any time; staff register a wider one
    on the party's word)."""
    current = agreement.party_consents.filter(organisation=organisation).first()
    levels = list(AgreementConsent.Level)
    if current is not None and not staff:
        levels = [lvl for lvl in levels if LEVEL_RANK[lvl] >= LEVEL_RANK[current.level]]
    return [(lvl.value, lvl.label) for lvl in levels]


def _check_level(agreement, organisation, level, *, staff=False) -> None:
    if level not in dict(consent_choices(agreement, organisation, staff=staff)):
        raise ValidationError(
            {
                "level": _(
                    "Choose one of the answers offered. To widen a consent already given, "
                    "contact us."
                )
            }
        )


@transaction.atomic
def give_consent(
    *, agreement: Agreement, organisation: Organisation, person, level: str, via: str
) -> Agreement:
    """A party answers (agrees at a level, narrows, declines): the municipality through
    its e-mailed link or "Min side", a housing organisation from "Min side"."""
    agreement = _locked(agreement)
    if not can_consent_for(person, agreement, organisation):
        raise PermissionDenied
    _check_level(agreement, organisation, level)
    _set_party_consent(agreement, organisation, level, by=person, given_by=person, via=via)
    _refresh_consent(agreement, person)
    return agreement


@transaction.atomic
def record_consent_by_staff(
    *, agreement: Agreement, organisation: Organisation, by, level: str, note: str
) -> Agreement:
    """Staff register a party's answer received by other means (a letter, a phone call);
    the note says how, and is kept in the audit trail."""
    if not can_record_consent(by):
        raise PermissionDenied
    agreement = _locked(agreement)
    note = (note or "").strip()
    errors = {}
    if organisation.pk not in agreement.party_ids():
        errors["organisation"] = [_("Choose one of the agreement's parties.")]
    if level not in AgreementConsent.Level.values:
        errors["level"] = [_("Choose a valid consent.")]
    if not note:
        errors["note"] = [_("Write how the consent was given (who, when, how).")]
    if errors:
        raise ValidationError(errors)
    _set_party_consent(
        agreement,
        organisation,
        level,
        by=by,
        recorded_by_staff=by,
        via=AgreementConsent.Via.STAFF,
        note=note,
    )
    _refresh_consent(agreement, by)
    return agreement


# The signed link: it authorises by itself (no login), for one person, one party and one
# agreement, for `LIBRARY_CONSENT_LINK_MAX_AGE` seconds (60 days unless set).
CONSENT_LINK_SALT = "library.consent-link"


def consent_link_max_age() -> int:
    return getattr(settings, "LIBRARY_CONSENT_LINK_MAX_AGE", 60 * 24 * 60 * 60)


def consent_token(*, agreement: Agreement, organisation: Organisation, person) -> str:
    return signing.dumps(
        {"a": agreement.pk, "o": organisation.pk, "p": person.pk}, salt=CONSENT_LINK_SALT
    )


def consent_path(*, agreement: Agreement, organisation: Organisation, person) -> str:
    token = consent_token(agreement=agreement, organisation=organisation, person=person)
    return reverse("library:consent", args=[token])


class ConsentLinkError(Exception):
    """The link is expired, tampered with, or no longer belongs to a party."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired", "invalid" or "not_party"


def read_consent_token(token: str):
    """(agreement, organisation, person) for a valid link; raises `ConsentLinkError`."""
    try:
        data = signing.loads(token, salt=CONSENT_LINK_SALT, max_age=consent_link_max_age())
    except signing.SignatureExpired as error:
        raise ConsentLinkError("expired") from error
    except signing.BadSignature as error:
        raise ConsentLinkError("invalid") from error
    try:
        agreement = Agreement.objects.select_related("municipality").get(pk=data["a"])
        organisation = Organisation.objects.get(pk=data["o"])
        person = get_user_model().objects.get(pk=data["p"])
    except (KeyError, TypeError, Agreement.DoesNotExist, Organisation.DoesNotExist) as error:
        raise ConsentLinkError("invalid") from error
    except get_user_model().DoesNotExist as error:
        raise ConsentLinkError("not_party") from error
    if not can_consent_for(person, agreement, organisation):
        raise ConsentLinkError("not_party")
    return agreement, organisation, person


@transaction.atomic
def ask_municipality(*, agreement: Agreement, by=None) -> int:
    """E-mail the municipality's consent people (`access.municipality_consent_people`) a
    personal signed link, unless the municipality has answered. Returns how many were
    asked."""
    municipality = agreement.municipality
    if municipality is None or agreement.party_consents.filter(organisation=municipality).exists():
        return 0
    people = list(municipality_consent_people(municipality).exclude(email=""))
    for person in people:
        emails.send_on_commit(
            subject=_("Do you agree to sharing the agreement “%(title)s”?")
            % {"title": agreement.title},
            template="library/emails/consent_request.txt",
            context={
                "agreement": agreement,
                "person": person,
                "municipality": municipality,
                "consent_url": _site_url(
                    consent_path(agreement=agreement, organisation=municipality, person=person)
                ),
                "valid_days": consent_link_max_age() // (24 * 60 * 60),
            },
            recipients=[person.email],
        )
    audit.record(
        agreement,
        actions.CONSENT_REQUESTED,
        by=by,
        data={
            "party": municipality.name,
            "party_id": municipality.pk,
            "asked": [person.pk for person in people],
        },
    )
    return len(people)


def consent_task_agreements(person):
    """For "Min side": the agreements the person answers for as their municipality's
    contact person (the party is `agreement.municipality`), newest first, as a queryset
    the page shows a page of."""
    from network.models import Affiliation

    municipalities = Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY,
        affiliations__person=person,
        affiliations__status=Affiliation.Status.VERIFIED,
        affiliations__role=Affiliation.Role.CONTACT_PERSON,
    )
    return (
        Agreement.objects.filter(municipality__in=municipalities.values("pk"))
        .exclude(status__in=[Agreement.Status.DRAFT, Agreement.Status.REJECTED])
        .select_related("municipality")
        .prefetch_related("party_consents", "housing_organisations")
        .order_by(F("submitted_at").desc(nulls_last=True), "-pk")
    )


# --- E-mail ----------------------------------------------------------------------------


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(subject: str, template: str, context: dict, recipients: list[str]) -> None:
    emails.send_on_commit(
        subject=subject, template=template, context=context, recipients=recipients
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
        staff_recipients(REVIEW_PERMISSION, DECIDE_PERMISSION),
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
        staff_recipients(REVIEW_PERMISSION, DECIDE_PERMISSION),
    )


def admin_edit_path(agreement: Agreement) -> str:
    return reverse("library_agreement:edit", args=[agreement.pk])


# --- District consultants ------------------------------------------------------------------


def district_consultants_for(request) -> dict:
    """The district consultant(s) for the reader's region: the region chosen on the page,
    else the region of the reader's own organisations."""
    region = request.GET.get("region", "")
    if region not in Region.values:
        region = ""
        for org in Organisation.objects.verified_for(request.user).only("region", "kind"):
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
