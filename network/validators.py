"""Validators for identifiers used in invoicing."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def gs1_check_digit(digits: str) -> int:
    """The GS1 (mod 10) check digit for `digits`, the number without its check digit.

    From the right, digits are weighted 3, 1, 3, 1, ...; the check digit brings the sum
    up to a multiple of 10.
    """
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def validate_ean(value: str) -> None:
    """An EAN/GLN location number: 13 digits whose last digit is the GS1 check digit."""
    value = (value or "").strip()
    if len(value) != 13 or not value.isdigit():
        raise ValidationError(
            _("An EAN number has exactly 13 digits (you entered %(length)s characters)."),
            code="ean_length",
            params={"length": len(value)},
        )
    if gs1_check_digit(value[:12]) != int(value[12]):
        raise ValidationError(
            _(
                "This EAN number is not valid: the last digit (check digit) does not match. "
                "Please check the number with your finance department."
            ),
            code="ean_check_digit",
        )
