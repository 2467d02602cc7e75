"""Membership prices: the one place that knows what a membership costs.

A network states a yearly price in DKK excl. VAT (`NetworkPage.price`). An organisation
that joins during a year pays per remaining quarter, the quarter it joins in included:
joining on 19 May (second quarter) costs 3 of 4 quarters. Signing up in the autumn for
the coming year costs the whole year. What was charged is stored on the membership at
sign-up (`Membership.charge_fields`), so a later change of the network's price never
rewrites an earlier membership, its receipt or its invoice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

QUARTERS_IN_A_YEAR = 4
VAT_RATE = Decimal("25")  # per cent, Danish moms
CENT = Decimal("0.01")


def quarter_of(day: datetime.date) -> int:
    """1 for January-March ... 4 for October-December."""
    return (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * (quarter - 1) + 1, 1)


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_kroner(value: Decimal) -> str:
    """7125 -> "7.125" in Danish, "7,125" in English; øre only when there are any
    ("7.125,50")."""
    value = money(value)
    decimals = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class Price:
    """What a membership of one year costs: `quarters` of 4 at `yearly` a year."""

    year: int
    yearly: Decimal
    quarters: int
    amount: Decimal  # DKK excl. VAT, rounded to øre
    period_start: datetime.date
    period_end: datetime.date

    @property
    def vat(self) -> Decimal:
        return money(self.amount * VAT_RATE / 100)

    @property
    def amount_incl_vat(self) -> Decimal:
        return self.amount + self.vat

    @property
    def amount_text(self) -> str:
        return format_kroner(self.amount)

    @property
    def rule(self) -> str:
        """ "Pris for 2026: 3 af 4 kvartaler, 7.125 kr. ekskl. moms" (in the active
        language)."""
        return _(
            "Price for %(year)s: %(quarters)s of %(of)s quarters, DKK %(amount)s excl. VAT"
        ) % {
            "year": self.year,
            "quarters": self.quarters,
            "of": QUARTERS_IN_A_YEAR,
            "amount": self.amount_text,
        }

    @property
    def period_text(self) -> str:
        return f"{self.period_start:%d.%m.%Y}-{self.period_end:%d.%m.%Y}"

    def __str__(self):
        return self.rule


def price_for(yearly: Decimal | None, *, year: int, on: datetime.date) -> Price | None:
    """The price of a membership for calendar `year`, signed up on date `on` (local).

    A year that has not begun costs all four quarters; the current year costs the
    quarter of `on` and those after it. None when the network states no price. A past
    year has no price (nobody signs up for it): ValueError.
    """
    if yearly is None:
        return None
    yearly = money(yearly)
    if year > on.year:
        quarters, start = QUARTERS_IN_A_YEAR, datetime.date(year, 1, 1)
    elif year == on.year:
        quarter = quarter_of(on)
        quarters, start = QUARTERS_IN_A_YEAR - quarter + 1, quarter_start(year, quarter)
    else:
        raise ValueError(f"No price for {year}, which has ended by {on}")
    return Price(
        year=year,
        yearly=yearly,
        quarters=quarters,
        amount=money(yearly * quarters / QUARTERS_IN_A_YEAR),
        period_start=start,
        period_end=datetime.date(year, 12, 31),
    )


def network_price(network, *, year: int, on: datetime.date) -> Price | None:
    """The price `network` asks for `year` from someone signing up on `on`."""
    return price_for(network.price, year=year, on=on)


def charge_fields(price: Price | None) -> dict:
    """The Membership fields that keep what was charged (all None without a price)."""
    if price is None:
        return dict.fromkeys(
            ("price_yearly", "price_quarters", "price_amount", "period_start", "period_end")
        )
    return {
        "price_yearly": price.yearly,
        "price_quarters": price.quarters,
        "price_amount": price.amount,
        "period_start": price.period_start,
        "period_end": price.period_end,
    }


def charged(membership) -> Price | None:
    """The price stored on `membership` at sign-up, or None when none was stated."""
    if membership.price_amount is None:
        return None
    return Price(
        year=membership.year,
        yearly=membership.price_yearly,
        quarters=membership.price_quarters,
        amount=membership.price_amount,
        period_start=membership.period_start,
        period_end=membership.period_end,
    )
