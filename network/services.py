"""Membership, affiliation and trial rules: the one place every app asks.

Dates are calendar dates in Europe/Copenhagen. Every `on` argument accepts a `date`, an
aware `datetime` (converted to Copenhagen time first) or None (today in Copenhagen).
A membership covers one calendar year: it counts on every date from 1 January to
31 December of its `year`, and only while its status is `active`.

The contract is documented in docs/network.md; keep the two in step.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from portal import audit, emails

from . import access, audit_actions, pricing
from .hooks import NEXT_TRIAL_MEETING
from .models import (
    Affiliation,
    DateLike,
    Membership,
    NetworkPage,
    Organisation,
    TrialUse,
    allowed_signup_years,
    local_date,
    normalise_domain,
)
from .validators import validate_ean

__all__ = ["allowed_signup_years"]  # the sign-up years are a page rule, asked here too


# --- Trial seat ------------------------------------------------------------------------


def trial_available(*, organisation: Organisation, network: NetworkPage, on: DateLike = None):
    """May `organisation` still take its one free meeting in `network`?

    True when it has never used a trial there and is not an active member in the year of
    `on` (pass the meeting's date). A pending or active membership for a *later* year does
    not count: signing up for next year is exactly when the trial is offered.
    """
    if TrialUse.objects.filter(organisation=organisation, network=network).exists():
        return False
    return not _has_member_access(organisation, network, on)


def _has_member_access(organisation: Organisation, network: NetworkPage, on: DateLike) -> bool:
    return (
        Membership.objects.for_network(network)
        .giving_access_on(on)
        .filter(organisation=organisation)
        .exists()
    )


@transaction.atomic
def use_trial(
    *,
    organisation: Organisation,
    network: NetworkPage,
    meeting: Page | None = None,
    meeting_date: datetime.date | None = None,
    person=None,
) -> TrialUse:
    """Record the organisation's free meeting. Raises ValidationError when it is a member
    in the meeting's year or has had its trial in this network already."""
    on = meeting_date or local_date()
    if _has_member_access(organisation, network, on):
        raise ValidationError(
            _("%(organisation)s is a member of the network and does not need a free trial.")
            % {"organisation": organisation},
            code="trial_member",
        )
    try:
        with transaction.atomic():
            return TrialUse.objects.create(
                organisation=organisation,
                network=network,
                meeting=meeting,
                meeting_date=meeting_date,
                used_by=person,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(organisation)s has already used its free trial meeting in this network.")
            % {"organisation": organisation},
            code="trial_used",
        ) from None


@transaction.atomic
def release_trial(*, organisation: Organisation, network: NetworkPage) -> bool:
    """Give the trial back (e.g. the trial registration was cancelled before the meeting).
    Returns whether there was one."""
    deleted, _details = TrialUse.objects.filter(organisation=organisation, network=network).delete()
    return bool(deleted)


def next_trial_meeting(network: NetworkPage, *, on: DateLike = None) -> Page | None:
    """The network's next meeting with trial places left, from the registered providers
    (`network.hooks.NEXT_TRIAL_MEETING`); None when no provider knows one."""
    on = local_date(on)
    for provider in hooks.get_hooks(NEXT_TRIAL_MEETING):
        meeting = provider(network, on)
        if meeting is not None:
            return meeting
    return None


@dataclass(frozen=True)
class TrialOffer:
    meeting: Page
    url: str

    @property
    def title(self) -> str:
        return self.meeting.title


def trial_offer(
    *, organisation: Organisation, network: NetworkPage, on: DateLike = None
) -> TrialOffer | None:
    """The free seat to offer `organisation` now, if any."""
    on = local_date(on)
    if not trial_available(organisation=organisation, network=network, on=on):
        return None
    meeting = next_trial_meeting(network, on=on)
    if meeting is None:
        return None
    url = getattr(meeting, "trial_registration_url", None) or meeting.url
    return TrialOffer(meeting=meeting, url=url)


# --- Affiliation -----------------------------------------------------------------------


def confirmed_domains(person) -> set[str]:
    """Domains of the person's confirmed (allauth-verified) e-mail addresses."""
    if not getattr(person, "is_authenticated", False):
        return set()
    emails_ = EmailAddress.objects.filter(user=person, verified=True).values_list(
        "email", flat=True
    )
    return {normalise_domain(e) for e in emails_}


def suggested_organisations(person) -> QuerySet[Organisation]:
    """Organisations owning a domain of the person's confirmed e-mail addresses that the
    person has not joined (or been refused by) yet."""
    domains = confirmed_domains(person)
    if not domains:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(domains__domain__in=domains)
        .exclude(affiliations__person=person)
        .distinct()
    )


def _confirmed_email_on_domain(person, organisation: Organisation) -> str | None:
    org_domains = set(organisation.domain_list)
    for address in EmailAddress.objects.filter(user=person, verified=True).order_by(
        "-primary", "pk"
    ):
        if normalise_domain(address.email) in org_domains:
            return address.email
    return None


@transaction.atomic
def join_organisation(*, person, organisation: Organisation) -> Affiliation:
    """Affiliate `person` with `organisation` as a participant.

    Verified at once when the person has a confirmed e-mail address on one of the
    organisation's domains; otherwise a request that staff or the organisation's contact
    person decides (they are told by e-mail). Joining twice changes nothing.
    """
    if not getattr(person, "is_authenticated", False):
        raise PermissionDenied
    affiliation, created = Affiliation.objects.select_for_update(of=("self",)).get_or_create(
        person=person, organisation=organisation
    )
    if affiliation.status == Affiliation.Status.VERIFIED:
        return affiliation
    if affiliation.status == Affiliation.Status.REJECTED:
        raise ValidationError(
            _(
                "Your request to join %(organisation)s was declined. Contact the network's "
                "coordinator if you think this is a mistake."
            )
            % {"organisation": organisation},
            code="affiliation_rejected",
        )
    email = _confirmed_email_on_domain(person, organisation)
    if email:
        affiliation.status = Affiliation.Status.VERIFIED
        affiliation.verified_via = Affiliation.VerifiedVia.EMAIL_DOMAIN
        affiliation.verified_email = email
        affiliation.decided_at = timezone.now()
        affiliation.save()
        audit.record(
            affiliation,
            audit_actions.AFFILIATION_VERIFIED,
            by=person,
            data={"via": affiliation.verified_via},
        )
        return affiliation
    if created:
        audit.record(affiliation, audit_actions.AFFILIATION_REQUESTED, by=person)
        contacts = organisation.contact_people().values_list("person__email", flat=True)
        emails.send_on_commit(
            subject=_("%(person)s asks to join %(organisation)s")
            % {"person": person, "organisation": organisation},
            template="network/email/affiliation_requested.txt",
            context={"affiliation": affiliation, "person": person, "organisation": organisation},
            recipients=[*contacts, *access.staff_recipients(access.DECIDE_AFFILIATIONS)],
        )
    return affiliation


@transaction.atomic
def decide_affiliation(*, affiliation: Affiliation, decided_by, approve: bool) -> Affiliation:
    """Approve or reject a request that waits (`access.can_decide_affiliation`: the
    coordinators, and the organisation's contact people for anyone but themselves).

    Only a `requested` affiliation is decided here. A decided one (verified, by e-mail
    domain or by a person, or rejected) is changed only by staff, with a reason, through
    `change_decided_affiliation`: a contact person cannot revoke a verified colleague.
    """
    affiliation = Affiliation.objects.select_for_update(of=("self",)).get(pk=affiliation.pk)
    if not access.decides_for_organisation(decided_by, affiliation):
        raise PermissionDenied(_("You cannot decide requests for this organisation."))
    if not access.can_decide_affiliation(decided_by, affiliation):  # decided already
        raise ValidationError(
            _("The request from %(person)s has already been decided (%(status)s).")
            % {"person": affiliation.person, "status": affiliation.get_status_display().lower()},
            code="already_decided",
        )
    affiliation.status = Affiliation.Status.VERIFIED if approve else Affiliation.Status.REJECTED
    affiliation.verified_via = (
        (
            Affiliation.VerifiedVia.STAFF
            if access.can_decide_all_affiliations(decided_by)
            else Affiliation.VerifiedVia.CONTACT_PERSON
        )
        if approve
        else ""
    )
    affiliation.decided_by = decided_by
    affiliation.decided_at = timezone.now()
    affiliation.save()
    audit.record(
        affiliation,
        audit_actions.AFFILIATION_VERIFIED if approve else audit_actions.AFFILIATION_REJECTED,
        by=decided_by,
        data={"via": affiliation.verified_via} if approve else {},
    )
    emails.send_on_commit(
        subject=(
            _("You are now affiliated with %(organisation)s")
            if approve
            else _("Your request to join %(organisation)s was declined")
        )
        % {"organisation": affiliation.organisation},
        template="network/email/affiliation_decided.txt",
        context={"affiliation": affiliation, "approved": approve},
        recipients=[affiliation.person.email],
    )
    return affiliation


@transaction.atomic
def change_decided_affiliation(*, affiliation: Affiliation, by, reason: str) -> Affiliation:
    """Staff revoke a verified affiliation or restore a rejected one
    (`access.can_change_decided_affiliation`). The reason is required; the person gets it
    by e-mail, and the change goes on the audit trail with the reason and the old status."""
    if not access.can_change_decided_affiliation(by):
        raise PermissionDenied(_("Only the coordinators can change a decided affiliation."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason; the person is told it by e-mail.")}, code="required"
        )
    affiliation = Affiliation.objects.select_for_update(of=("self",)).get(pk=affiliation.pk)
    old_status = affiliation.status
    if old_status == Affiliation.Status.VERIFIED:
        affiliation.status = Affiliation.Status.REJECTED
        affiliation.verified_via = ""
        affiliation.verified_email = ""
        action, template = audit_actions.AFFILIATION_REVOKED, "affiliation_revoked.txt"
        subject = _("Your affiliation with %(organisation)s has been revoked")
    elif old_status == Affiliation.Status.REJECTED:
        affiliation.status = Affiliation.Status.VERIFIED
        affiliation.verified_via = Affiliation.VerifiedVia.STAFF
        action, template = audit_actions.AFFILIATION_RESTORED, "affiliation_restored.txt"
        subject = _("You are now affiliated with %(organisation)s")
    else:
        raise ValidationError(
            _("The request has not been decided yet: approve or decline it instead."),
            code="not_decided",
        )
    affiliation.decided_by = by
    affiliation.decided_at = timezone.now()
    affiliation.save()
    audit.record(
        affiliation,
        action,
        by=by,
        data={
            "reason": reason,
            "old_status": old_status,
            "new_status": affiliation.status,
            "person": affiliation.person.email,
            "organisation": affiliation.organisation.name,
        },
    )
    emails.send_on_commit(
        subject=subject % {"organisation": affiliation.organisation},
        template=f"network/email/{template}",
        context={"affiliation": affiliation, "reason": reason},
        recipients=[affiliation.person.email],
    )
    return affiliation


def set_directory_listing(*, affiliation: Affiliation, person, listed: bool) -> Affiliation:
    if affiliation.person_id != person.pk:
        raise PermissionDenied
    affiliation.listed_in_directory = listed
    affiliation.save(update_fields=["listed_in_directory", "updated_at"])
    return affiliation


# --- Sign-up and approval --------------------------------------------------------------


class AlreadySignedUp(ValidationError):
    """The organisation already has an applied or active membership for that year."""

    def __init__(self, membership: Membership):
        self.membership = membership
        super().__init__(
            _(
                "%(organisation)s is already signed up for %(network)s in %(year)s "
                "(status: %(status)s)."
            )
            % {
                "organisation": membership.organisation,
                "network": membership.network.title,
                "year": membership.year,
                "status": membership.get_status_display(),
            },
            code="already_signed_up",
        )


def check_invoicing(
    errors: dict[str, list], *, ean: str, invoice_contact_name: str, invoice_contact_email: str
) -> str:
    """The invoicing details a sign-up and a renewal both ask for: adds each field's errors
    to `errors` and returns the EAN without spaces."""
    ean = (ean or "").strip().replace(" ", "")
    try:
        validate_ean(ean)
    except ValidationError as exc:
        errors["ean"] = exc.messages
    if not (invoice_contact_name or "").strip():
        errors["invoice_contact_name"] = [_("Enter who receives the invoice.")]
    if not (invoice_contact_email or "").strip():
        errors["invoice_contact_email"] = [_("Enter the invoice contact's e-mail address.")]
    return ean


def can_sign_up(*, person, organisation: Organisation) -> bool:
    """Only a person with a verified affiliation may sign up an organisation."""
    return access.is_verified_in(person, organisation)


@transaction.atomic
def sign_up(
    *,
    person,
    organisation: Organisation,
    network: NetworkPage,
    year: int,
    ean: str,
    invoice_contact_name: str,
    invoice_contact_email: str,
    purchase_reference: str = "",
    accept_terms: bool,
    on: DateLike = None,
) -> Membership:
    """Apply for `organisation`'s membership of `network` for calendar `year`.

    Validates everything before writing anything; raises ValidationError (a dict keyed by
    form field where one applies) and AlreadySignedUp when an applied or active membership
    exists, so a double submit never makes two. Staff and the person are e-mailed after
    commit.
    """
    today = local_date(on)
    if not getattr(person, "is_authenticated", False) or not can_sign_up(
        person=person, organisation=organisation
    ):
        raise ValidationError(
            {
                "organisation": _(
                    "You can only sign up an organisation you are a verified member of."
                )
            },
            code="not_affiliated",
        )
    errors: dict[str, list] = {}
    if not network.live or not network.signup_open:
        errors["network"] = [_("This network is not open for sign-up.")]
    if year not in allowed_signup_years(today):
        errors["year"] = [
            _("You can sign up for %(years)s.")
            % {"years": " / ".join(str(y) for y in allowed_signup_years(today))}
        ]
    ean = check_invoicing(
        errors,
        ean=ean,
        invoice_contact_name=invoice_contact_name,
        invoice_contact_email=invoice_contact_email,
    )
    if not accept_terms:
        errors["accept_terms"] = [_("You must accept the terms to sign up.")]
    if errors:
        raise ValidationError(errors)

    fields = {
        **pricing.charge_fields(pricing.network_price(network, year=year, on=today)),
        "status": Membership.Status.APPLIED,
        "ean": ean,
        "purchase_reference": (purchase_reference or "").strip(),
        "invoice_contact_name": invoice_contact_name.strip(),
        "invoice_contact_email": invoice_contact_email.strip(),
        "signed_up_by": person,
        "terms_accepted_at": timezone.now(),
        "approved_by": None,
        "approved_at": None,
    }
    existing = (
        Membership.objects.select_for_update(of=("self",))
        .filter(organisation=organisation, network=network, year=year)
        .first()
    )
    if existing is not None and existing.status in (
        Membership.Status.APPLIED,
        Membership.Status.ACTIVE,
    ):
        raise AlreadySignedUp(existing)
    if existing is not None:  # cancelled or ended: apply again on the same row
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.full_clean()
        existing.save()
        membership = existing
    else:
        membership = Membership(organisation=organisation, network=network, year=year, **fields)
        membership.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:
            # A concurrent submit inserted the same row first.
            raise AlreadySignedUp(
                Membership.objects.get(organisation=organisation, network=network, year=year)
            ) from None

    audit.record(
        membership,
        audit_actions.MEMBERSHIP_APPLIED,
        by=person,
        data={"year": year, "network": network.title},
    )
    offer = (
        trial_offer(organisation=organisation, network=network, on=today)
        if year > today.year
        else None
    )
    context = {"membership": membership, "person": person, "trial_offer": offer}
    emails.send_on_commit(
        subject=_("New membership application: %(organisation)s, %(network)s %(year)s")
        % {"organisation": organisation, "network": network.title, "year": year},
        template="network/email/membership_applied_staff.txt",
        context=context,
        recipients=access.staff_recipients(access.APPROVE_MEMBERSHIPS),
    )
    emails.send_on_commit(
        subject=_("We have received your sign-up for %(network)s %(year)s")
        % {"network": network.title, "year": year},
        template="network/email/membership_applied.txt",
        context=context,
        recipients=[person.email],
    )
    return membership


@transaction.atomic
def approve_memberships(*, memberships, approved_by) -> int:
    """Make applied memberships active and tell whoever signed them up. Returns how many
    changed; memberships in any other status are left alone. Only for
    `access.can_approve_memberships`."""
    if not access.can_approve_memberships(approved_by):
        raise PermissionDenied(_("You cannot approve memberships."))
    pks = [m.pk for m in memberships] if not isinstance(memberships, QuerySet) else None
    qs = Membership.objects.select_for_update(of=("self",)).filter(status=Membership.Status.APPLIED)
    qs = qs.filter(pk__in=pks) if pks is not None else qs.filter(pk__in=memberships.values("pk"))
    changed = list(qs.select_related("organisation", "network", "signed_up_by"))
    now = timezone.now()
    for membership in changed:
        membership.status = Membership.Status.ACTIVE
        membership.approved_by = approved_by
        membership.approved_at = now
        membership.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        audit.record(membership, audit_actions.MEMBERSHIP_APPROVED, by=approved_by)
        if membership.signed_up_by:
            emails.send_on_commit(
                subject=_("%(organisation)s is a member of %(network)s in %(year)s")
                % {
                    "organisation": membership.organisation,
                    "network": membership.network.title,
                    "year": membership.year,
                },
                template="network/email/membership_approved.txt",
                context={"membership": membership},
                recipients=[membership.signed_up_by.email],
            )
    return len(changed)


@transaction.atomic
def cancel_membership(*, membership: Membership, by) -> Membership:
    """Cancel an applied or active membership (`access.can_cancel_membership`: a
    coordinator, or a verified person of the organisation while it is only applied)."""
    membership = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
    if not access.can_cancel_membership(by, membership):
        raise PermissionDenied
    if membership.status not in (Membership.Status.APPLIED, Membership.Status.ACTIVE):
        raise ValidationError(_("Only applied or active memberships can be cancelled."))
    previous = membership.status
    membership.status = Membership.Status.CANCELLED
    membership.save(update_fields=["status", "updated_at"])
    audit.record(
        membership, audit_actions.MEMBERSHIP_CANCELLED, by=by, data={"previous_status": previous}
    )
    return membership


@transaction.atomic
def end_membership(*, membership: Membership, by=None, on: DateLike = None) -> Membership:
    """End an active membership whose year has run out (the rollover, `by=None`, or a
    coordinator). An ended membership still counts for the dates of its year; to stop a
    membership during its year, cancel it. Ending an ended membership changes nothing
    and logs nothing."""
    membership = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
    if by is not None and not access.can_approve_memberships(by):
        raise PermissionDenied
    if membership.status == Membership.Status.ACTIVE and membership.year >= local_date(on).year:
        raise ValidationError(
            _("A membership ends when its year has run out; cancel it to stop it sooner.")
        )
    if membership.status == Membership.Status.ENDED:
        return membership
    if membership.status != Membership.Status.ACTIVE:
        raise ValidationError(_("Only active memberships can be ended."))
    membership.status = Membership.Status.ENDED
    membership.save(update_fields=["status", "updated_at"])
    audit.record(membership, audit_actions.MEMBERSHIP_ENDED, by=by)
    return membership


# --- Directory and page context --------------------------------------------------------


def directory(*, network: NetworkPage, person, on: DateLike = None) -> list[Organisation]:
    """Member organisations of `network` on `on` (grace included) with their opted-in
    people.

    Only `access.can_see_directory` (members of the network, coordinators) may see it;
    others get PermissionDenied.
    """
    if not access.can_see_directory(person, network, on=on):
        raise PermissionDenied(_("The directory is for members of the network."))
    listed = (
        Affiliation.objects.verified()
        .filter(listed_in_directory=True)
        .select_related("person")
        .order_by("person__first_name", "person__last_name")
    )
    return list(
        Organisation.objects.members_of(network, on=on)
        .prefetch_related(Prefetch("affiliations", queryset=listed, to_attr="listed_people"))
        .order_by("name")
    )
