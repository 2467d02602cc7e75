"""The membership year: renewal invitations and reminders, renewing or cancelling from
the e-mail's link, the rollover at New Year, and the rollover report.

The dates are the network's (`NetworkPage.renewal_invitation_from`, the reminders,
`grace_end`, `cancellation_deadline`); member status in the grace period is answered by
the querysets (`MembershipQuerySet.in_grace_on`). Scheduled in portal/schedule.py
(`network.tasks`). docs/network.md, "The membership year", describes it for coordinators.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, emails, formats

from . import access, audit_actions, pricing
from .models import (
    Affiliation,
    DateLike,
    Membership,
    NetworkPage,
    RenewalNotice,
    local_date,
)
from .services import AlreadySignedUp, check_invoicing, end_membership

# A renewal link is good for the invitation season and the grace period after it.
TOKEN_MAX_AGE = datetime.timedelta(days=400)

ANSWERED = (
    Membership.Status.APPLIED,
    Membership.Status.ACTIVE,
    Membership.Status.ENDED,
    Membership.Status.CANCELLED,
)


# --- The link ------------------------------------------------------------------------------


def membership_from_token(token: str) -> Membership | None:
    """Last year's membership the link names, or None for a forged or stale link."""
    try:
        pk = signing.loads(token, salt=Membership.RENEWAL_TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Membership.objects.select_related("organisation", "network").filter(pk=pk).first()


# --- Where a renewal stands -------------------------------------------------------------------


@dataclass(frozen=True)
class RenewalState:
    membership: Membership  # last year's
    renewal: Membership | None  # the following year's row, if any

    @property
    def year(self) -> int:
        return self.membership.year + 1

    @property
    def renewed(self) -> bool:
        return self.renewal is not None and self.renewal.status in (
            *Membership.COUNTING,
            Membership.Status.APPLIED,
        )

    @property
    def cancelled(self) -> bool:
        return self.renewal is not None and self.renewal.status == Membership.Status.CANCELLED

    @property
    def answered(self) -> bool:
        return self.renewal is not None


def renewal_state(membership: Membership) -> RenewalState:
    renewal = Membership.objects.filter(
        organisation_id=membership.organisation_id,
        network_id=membership.network_id,
        year=membership.year + 1,
    ).first()
    return RenewalState(membership, renewal)


def can_renew(person, membership: Membership) -> bool:
    """A person verified in the organisation renews or cancels its membership for the
    following year (`access.is_verified_in`, the same rule as signing it up)."""
    return access.is_verified_in(person, membership.organisation)


def renewable(membership: Membership, on: DateLike = None) -> bool:
    """Is last year's `membership` one that may be renewed on `on`: it counted in its year,
    and `on` is from the network's invitation date in that year to the end of the next?"""
    today = local_date(on)
    if membership.status not in Membership.COUNTING:
        return False
    if today.year == membership.year:
        return membership.network.renewal_year_on(today) == membership.year + 1
    return today.year == membership.year + 1


def cancellation_open(membership: Membership, on: DateLike = None) -> bool:
    """Cancelling for the following year is open up to the deadline of a continuing
    network; an explicit network's organisation may say no until New Year."""
    today = local_date(on)
    network = membership.network
    if network.continues_unless_cancelled:
        return today <= network.cancellation_deadline_for(membership.year + 1)
    return today.year == membership.year


# --- Renewing and cancelling -------------------------------------------------------------------


@transaction.atomic
def renew(
    *,
    membership: Membership,
    person,
    ean: str,
    invoice_contact_name: str,
    invoice_contact_email: str,
    purchase_reference: str = "",
    seats_per_meeting: int | None = None,
    on: DateLike = None,
) -> Membership:
    """Renew last year's `membership` into the following year with the invoicing details
    given (prefilled from last year, changeable). Active at once, or applied when the
    network's staff approve renewals. Raises ValidationError (a dict by form field) and
    AlreadySignedUp when the renewal exists, so a double submit never makes two."""
    if not can_renew(person, membership):
        raise PermissionDenied
    if not renewable(membership, on):
        raise ValidationError(
            _("The membership of %(year)s cannot be renewed now.") % {"year": membership.year},
            code="not_renewable",
        )
    errors: dict[str, list] = {}
    ean = check_invoicing(
        errors,
        ean=ean,
        invoice_contact_name=invoice_contact_name,
        invoice_contact_email=invoice_contact_email,
    )
    if errors:
        raise ValidationError(errors)
    network = membership.network
    year = membership.year + 1
    status = (
        Membership.Status.APPLIED if network.staff_approve_renewals else Membership.Status.ACTIVE
    )
    fields = {
        # The price for the year renewed, kept like a sign-up's (network.pricing): the
        # whole year when renewed before it or in its first quarter.
        **pricing.charge_fields(pricing.network_price(network, year=year, on=local_date(on))),
        "status": status,
        "ean": ean,
        "purchase_reference": (purchase_reference or "").strip(),
        "invoice_contact_name": invoice_contact_name.strip(),
        "invoice_contact_email": invoice_contact_email.strip(),
        "seats_per_meeting": seats_per_meeting,
        "signed_up_by": person,
        "terms_accepted_at": timezone.now(),
        "approved_by": None,
        "approved_at": None if status == Membership.Status.APPLIED else timezone.now(),
        **pricing.charge_fields(pricing.network_price(network, year=year, on=local_date(on))),
    }
    renewal = _next_row(membership, fields)
    audit.record(
        renewal,
        audit_actions.MEMBERSHIP_RENEWED,
        by=person,
        data={
            "year": year,
            "network": network.title,
            "from_membership": membership.pk,
            "ean": ean,
            "previous_ean": membership.ean,
        },
    )
    context = {"membership": renewal, "previous": membership, "person": person}
    emails.send_on_commit(
        subject=_("%(organisation)s has renewed %(network)s for %(year)s")
        % {"organisation": membership.organisation, "network": network.title, "year": year},
        template="network/email/membership_renewed.txt",
        context=context,
        recipients=[person.email, renewal.invoice_contact_email],
    )
    if status == Membership.Status.APPLIED:
        emails.send_on_commit(
            subject=_("Renewal to approve: %(organisation)s, %(network)s %(year)s")
            % {"organisation": membership.organisation, "network": network.title, "year": year},
            template="network/email/membership_renewed_staff.txt",
            context=context,
            recipients=access.staff_recipients(access.APPROVE_MEMBERSHIPS),
        )
    return renewal


def _next_row(membership: Membership, fields: dict) -> Membership:
    """Write the following year's row for `membership`'s organisation and network, on a
    cancelled row if there is one; AlreadySignedUp if it is applied or active."""
    year = membership.year + 1
    existing = (
        Membership.objects.select_for_update(of=("self",))
        .filter(organisation=membership.organisation, network=membership.network, year=year)
        .first()
    )
    if existing is not None and existing.status != Membership.Status.CANCELLED:
        raise AlreadySignedUp(existing)
    if existing is not None:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.full_clean()
        existing.save()
        return existing
    row = Membership(
        organisation=membership.organisation, network=membership.network, year=year, **fields
    )
    row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise AlreadySignedUp(
            Membership.objects.get(
                organisation=membership.organisation, network=membership.network, year=year
            )
        ) from None
    return row


@transaction.atomic
def decline(*, membership: Membership, person, on: DateLike = None) -> Membership:
    """The organisation does not continue into the following year: the answer is recorded
    as a cancelled row for that year, so no reminder follows, the rollover does not
    continue it and the grace period does not apply."""
    if not can_renew(person, membership):
        raise PermissionDenied
    if membership.status not in Membership.COUNTING or not cancellation_open(membership, on):
        raise ValidationError(
            _("The deadline for cancelling has passed; contact the network's coordinator."),
            code="deadline",
        )
    state = renewal_state(membership)
    if state.cancelled:
        return state.renewal
    if state.renewal is not None and state.renewal.status == Membership.Status.ACTIVE:
        raise ValidationError(
            _("The membership for %(year)s is active; contact the network's coordinator.")
            % {"year": state.year},
            code="active",
        )
    fields = {
        "status": Membership.Status.CANCELLED,
        "ean": membership.ean,
        "purchase_reference": membership.purchase_reference,
        "invoice_contact_name": membership.invoice_contact_name,
        "invoice_contact_email": membership.invoice_contact_email,
        "signed_up_by": person,
    }
    if state.renewal is not None:  # an applied renewal, withdrawn
        row = state.renewal
        row.status = Membership.Status.CANCELLED
        row.save(update_fields=["status", "updated_at"])
    else:
        row = _next_row(membership, fields)
    audit.record(
        row,
        audit_actions.MEMBERSHIP_NOT_RENEWED,
        by=person,
        data={"year": state.year, "network": membership.network.title},
    )
    emails.send_on_commit(
        subject=_("%(organisation)s does not continue in %(network)s in %(year)s")
        % {
            "organisation": membership.organisation,
            "network": membership.network.title,
            "year": state.year,
        },
        template="network/email/membership_not_renewed.txt",
        context={"membership": membership, "year": state.year, "person": person},
        recipients=[
            person.email,
            *access.staff_recipients(access.APPROVE_MEMBERSHIPS),
        ],
    )
    return row


# --- Invitations and reminders ------------------------------------------------------------------


def renewal_recipients(membership: Membership) -> list[str]:
    """The organisation's contact people and the membership's invoice contact."""
    contacts = (
        Affiliation.objects.verified()
        .filter(organisation_id=membership.organisation_id, role=Affiliation.Role.CONTACT_PERSON)
        .values_list("person__email", flat=True)
    )
    return sorted({*contacts, membership.invoice_contact_email} - {""})


def unanswered(network: NetworkPage, year: int):
    """`network`'s memberships of `year` that count and have no answer for `year + 1`."""
    answered = Membership.objects.filter(network=network, year=year + 1).values("organisation_id")
    return (
        Membership.objects.for_network(network)
        .active_in(year)
        .exclude(organisation_id__in=answered)
        .select_related("organisation", "network")
    )


def send_renewal_notices(on: DateLike = None) -> dict[str, int]:
    """Send what is due on `on` (default today): the invitation to every counting
    membership without an answer from the network's invitation date, and on each reminder
    date a reminder to those still without one. Each notice is recorded and sent exactly
    once; a reminder goes only to whoever was invited before its date, and only the latest
    reminder due is sent (a missed one is not made up for)."""
    today = local_date(on)
    sent = {"invitations": 0, "reminders": 0}
    for network in NetworkPage.objects.live():
        next_year = network.renewal_year_on(today)
        if next_year is None:
            continue
        invitation_day = network.renewal_year_start(next_year)
        reminders_due = [d for d in network.reminder_dates(next_year) if d <= today]
        reminder_day = reminders_due[-1] if reminders_due else None
        notices = {
            (n.membership_id, n.kind, n.due_on): n
            for n in RenewalNotice.objects.filter(
                membership__network=network, membership__year=next_year - 1
            )
        }
        for membership in unanswered(network, next_year - 1):
            invitation = notices.get((membership.pk, RenewalNotice.Kind.INVITATION, invitation_day))
            if invitation is None:
                if _send_notice(membership, RenewalNotice.Kind.INVITATION, invitation_day):
                    sent["invitations"] += 1
            elif (
                reminder_day is not None
                and timezone.localtime(invitation.sent_at).date() < reminder_day
                and (membership.pk, RenewalNotice.Kind.REMINDER, reminder_day) not in notices
            ) and _send_notice(membership, RenewalNotice.Kind.REMINDER, reminder_day):
                sent["reminders"] += 1
    return sent


def _send_notice(membership: Membership, kind: str, due_on: datetime.date) -> bool:
    recipients = renewal_recipients(membership)
    network = membership.network
    year = membership.year + 1
    try:
        with transaction.atomic():
            RenewalNotice.objects.create(
                membership=membership, kind=kind, due_on=due_on, recipients=", ".join(recipients)
            )
            context = {
                "membership": membership,
                "network": network,
                "year": year,
                "reminder": kind == RenewalNotice.Kind.REMINDER,
                "renew_path": membership.renewal_path(),
                "cancel_path": membership.cancel_path(),
                "continuing": network.continues_unless_cancelled,
                "deadline": network.cancellation_deadline_for(year),
                "grace_end": network.grace_end_in(year),
            }
            if network.continues_unless_cancelled:
                subject = _("%(network)s continues in %(year)s: cancel by %(deadline)s")
            elif kind == RenewalNotice.Kind.REMINDER:
                subject = _("Reminder: renew %(network)s for %(year)s")
            else:
                subject = _("Renew %(network)s for %(year)s")
            emails.send_on_commit(
                subject=subject
                % {
                    "network": network.title,
                    "year": year,
                    "deadline": formats.short_date(context["deadline"]),
                },
                template="network/email/renewal_notice.txt",
                context=context,
                recipients=recipients,
            )
    except IntegrityError:  # another run recorded it first
        return False
    return True


# --- The rollover -------------------------------------------------------------------------------


def roll_over(on: DateLike = None) -> dict[str, int]:
    """At the turn of the year (run by the scheduler, any number of times):
    continuing networks' memberships of last year without an answer get this year's row
    (active, or applied when staff approve renewals), and last year's and older active
    rows end. Ended rows still count for the dates of their year, and in the grace period
    (`MembershipQuerySet.in_grace_on`)."""
    today = local_date(on)
    year = today.year
    done = {"continued": 0, "ended": 0}
    for network in NetworkPage.objects.filter(renewal_mode=NetworkPage.RenewalMode.CONTINUING):
        for membership in unanswered(network, year - 1):
            with transaction.atomic():
                status = (
                    Membership.Status.APPLIED
                    if network.staff_approve_renewals
                    else Membership.Status.ACTIVE
                )
                try:
                    row = _next_row(
                        membership,
                        {
                            **pricing.charge_fields(
                                pricing.network_price(network, year=year, on=today)
                            ),
                            "status": status,
                            "ean": membership.ean,
                            "purchase_reference": membership.purchase_reference,
                            "invoice_contact_name": membership.invoice_contact_name,
                            "invoice_contact_email": membership.invoice_contact_email,
                            "seats_per_meeting": membership.seats_per_meeting,
                            "signed_up_by": membership.signed_up_by,
                            "terms_accepted_at": membership.terms_accepted_at,
                            # Continued for the whole year: all four quarters.
                            **pricing.charge_fields(
                                pricing.network_price(
                                    network, year=year, on=datetime.date(year - 1, 12, 31)
                                )
                            ),
                        },
                    )
                except AlreadySignedUp:
                    continue
                audit.record(
                    row,
                    audit_actions.MEMBERSHIP_CONTINUED,
                    data={"year": year, "from_membership": membership.pk},
                )
                done["continued"] += 1
    for membership in Membership.objects.filter(
        status=Membership.Status.ACTIVE, year__lt=year
    ).select_related("organisation", "network"):
        end_membership(membership=membership, on=today)
        done["ended"] += 1
    return done


# --- The rollover report ------------------------------------------------------------------------


@dataclass
class RolloverRow:
    network: NetworkPage
    year: int
    renewed: int = 0
    not_answered: int = 0
    cancelled: int = 0
    new: int = 0
    invitations: int = 0
    reminders: int = 0


def rollover_report(year: int) -> list[RolloverRow]:
    """Per network, the move from `year - 1` to `year`: renewed (last year's member with a
    row for `year` that counts or waits for approval), invited and not answered, cancelled,
    new (no membership last year), and the invitations and reminders sent. Four queries
    whatever the number of networks."""
    networks = list(NetworkPage.objects.order_by("title"))
    rows = {n.pk: RolloverRow(network=n, year=year) for n in networks}
    last = {
        (m["network_id"], m["organisation_id"])
        for m in Membership.objects.filter(year=year - 1, status__in=Membership.COUNTING).values(
            "network_id", "organisation_id"
        )
    }
    answered = set()
    for m in Membership.objects.filter(year=year).values("network_id", "organisation_id", "status"):
        row = rows.get(m["network_id"])
        key = (m["network_id"], m["organisation_id"])
        answered.add(key)
        if row is None:
            continue
        if m["status"] == Membership.Status.CANCELLED:
            row.cancelled += key in last
        elif key in last:
            row.renewed += 1
        else:
            row.new += 1
    invited = set()
    for n in (
        RenewalNotice.objects.filter(membership__year=year - 1)
        .values("membership__network_id", "membership__organisation_id", "kind")
        .annotate(count=Count("pk"))
    ):
        key = (n["membership__network_id"], n["membership__organisation_id"])
        row = rows.get(key[0])
        if row is None:
            continue
        if n["kind"] == RenewalNotice.Kind.INVITATION:
            row.invitations += n["count"]
            invited.add(key)
        else:
            row.reminders += n["count"]
    for key in invited - answered:
        rows[key[0]].not_answered += 1
    return [rows[n.pk] for n in networks]
