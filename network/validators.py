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


def validate_cvr(value: str) -> None:
    """A Danish CVR number: 8 digits, the first not 0."""
    value = (value or "").strip()
    if len(value) != 8 or not value.isdigit() or value[0] == "0":
        raise ValidationError(
            _("A CVR number has exactly 8 digits and does not start with 0."), code="cvr"
        )


def validate_bank_reg_no(value: str) -> None:
    """A Danish bank registration number (reg.nr.): 4 digits."""
    value = (value or "").strip()
    if len(value) != 4 or not value.isdigit():
        raise ValidationError(_("A registration number has exactly 4 digits."), code="reg_no")


def validate_bank_account_no(value: str) -> None:
    """A Danish bank account number (kontonr.): up to 10 digits."""
    value = (value or "").strip()
    if not (1 <= len(value) <= 10) or not value.isdigit():
        raise ValidationError(_("An account number has 1 to 10 digits."), code="account_no")


def normalise_iban(value: str) -> str:
    return (value or "").replace(" ", "").upper()


def validate_iban(value: str) -> None:
    """An IBAN (spaces allowed): country code, check digits that pass ISO 7064 mod 97,
    and for Denmark 18 characters (DK + 16 digits)."""
    iban = normalise_iban(value)
    valid = (
        15 <= len(iban) <= 34
        and iban[:2].isalpha()
        and iban[2:4].isdigit()
        and iban[4:].isalnum()
        and (not iban.startswith("DK") or (len(iban) == 18 and iban[4:].isdigit()))
    )
    if valid:
        digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
        valid = int(digits) % 97 == 1
    if not valid:
        raise ValidationError(
            _(
                "This IBAN is not valid. A Danish IBAN is DK and 16 digits, e.g. DK50 0040 0440 1162 43."
            ),
            code="iban",
        )
