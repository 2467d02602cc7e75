"""E-invoices for memberships: Peppol BIS Billing 3.0 (UBL 2.1 Invoice) as XML.

NemHandel accepts Peppol BIS Billing 3.0 as well as OIOUBL 2.1; we write Peppol BIS 3.0
(why: docs/network.md, "Prices and invoicing"). Nothing is sent anywhere: staff download
the file (one membership, or a year's in a zip) and hand it to the finance system or the
NemHandel gateway.

- Seller: the site settings' invoicing details (`portal.models.SiteSettings`), named by
  its EAN/GLN (scheme 0088) when it has one, otherwise by its CVR number (scheme 0184).
- Buyer: the organisation, named by the EAN given at sign-up (scheme 0088), with the
  purchase reference as the buyer reference (the invoice contact's name when there is
  none: Peppol requires one of them) and the invoice contact.
- One line: the membership for its period, at the amount stored at sign-up
  (`network.pricing`), 25 % VAT (category S).
- The number is the membership's own (`Membership.invoice_number`), the issue date the
  day it was approved (Copenhagen), the due date `payment_days` later: downloading twice
  gives the same invoice.
"""

from __future__ import annotations

import datetime
import io
import re
import xml.etree.ElementTree as ET  # writing our own data, never parsing
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from . import pricing
from .models import Membership

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS = {
    "": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
SCHEME_GLN = "0088"  # EAN/GLN location number
SCHEME_CVR = "0184"  # Danish CVR number
INVOICE_TYPE = "380"  # commercial invoice
PAYMENT_BANK_TRANSFER = "31"  # Danish reg.nr. and account number
PAYMENT_SEPA = "58"  # IBAN
CURRENCY = "DKK"
UNIT_ONE = "C62"
VAT_CATEGORY = "S"

for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


class InvoiceError(Exception):
    """The invoice cannot be written; the message says why, for staff."""


def invoiceable(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    """The memberships that get an e-invoice: approved (active or ended since) with a
    price stored at sign-up (`Membership.is_invoiceable`)."""
    return memberships.filter(
        approved_at__isnull=False,
        status__in=[Membership.Status.ACTIVE, Membership.Status.ENDED],
        price_amount__isnull=False,
    )


@dataclass(frozen=True)
class Address:
    street: str = ""
    additional: str = ""
    postcode: str = ""
    city: str = ""


_POSTCODE_CITY = re.compile(r"^(?:DK-?)?(\d{4})\s+(.+)$")


def split_address(text: str) -> Address:
    """An organisation's free-text address ("Rådhuspladsen 2\\n8000 Aarhus C") as street,
    second line and postcode with city (the last line that starts with 4 digits)."""
    lines = [line.strip(" ,") for line in (text or "").splitlines() if line.strip(" ,")]
    if len(lines) == 1 and "," in lines[0]:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    postcode = city = ""
    if lines and (match := _POSTCODE_CITY.match(lines[-1])):
        postcode, city = match.groups()
        lines = lines[:-1]
    return Address(
        street=lines[0] if lines else "",
        additional=", ".join(lines[1:]),
        postcode=postcode,
        city=city,
    )


class _Builder:
    def __init__(self):
        self.root = ET.Element(f"{{{NS['']}}}Invoice")

    @staticmethod
    def tag(name: str) -> str:
        prefix, local = name.split(":")
        return f"{{{NS[prefix]}}}{local}"

    def add(self, parent, name: str, text=None, **attrs):
        element = ET.SubElement(parent, self.tag(name), attrs)
        if text is not None:
            element.text = str(text)
        return element

    def amount(self, parent, name: str, value: Decimal):
        return self.add(parent, name, f"{pricing.money(value):.2f}", currencyID=CURRENCY)


def _seller_party(b: _Builder, parent, seller) -> None:
    party = b.add(b.add(parent, "cac:AccountingSupplierParty"), "cac:Party")
    if seller.seller_ean:
        b.add(party, "cbc:EndpointID", seller.seller_ean, schemeID=SCHEME_GLN)
    else:
        b.add(party, "cbc:EndpointID", seller.cvr, schemeID=SCHEME_CVR)
    b.add(b.add(party, "cac:PartyName"), "cbc:Name", seller.seller_name)
    address = b.add(party, "cac:PostalAddress")
    b.add(address, "cbc:StreetName", seller.invoice_street)
    b.add(address, "cbc:CityName", seller.invoice_city)
    b.add(address, "cbc:PostalZone", seller.invoice_postcode)
    b.add(b.add(address, "cac:Country"), "cbc:IdentificationCode", "DK")
    tax = b.add(party, "cac:PartyTaxScheme")
    b.add(tax, "cbc:CompanyID", f"DK{seller.cvr}")
    b.add(b.add(tax, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = b.add(party, "cac:PartyLegalEntity")
    b.add(legal, "cbc:RegistrationName", seller.seller_name)
    b.add(legal, "cbc:CompanyID", seller.cvr, schemeID=SCHEME_CVR)
    contact = b.add(party, "cac:Contact")
    b.add(contact, "cbc:ElectronicMail", seller.invoice_email)


def _buyer_party(b: _Builder, parent, membership: Membership) -> None:
    organisation = membership.organisation
    party = b.add(b.add(parent, "cac:AccountingCustomerParty"), "cac:Party")
    b.add(party, "cbc:EndpointID", membership.ean, schemeID=SCHEME_GLN)
    identification = b.add(party, "cac:PartyIdentification")
    b.add(identification, "cbc:ID", membership.ean, schemeID=SCHEME_GLN)
    b.add(b.add(party, "cac:PartyName"), "cbc:Name", organisation.name)
    address = split_address(organisation.address)
    postal = b.add(party, "cac:PostalAddress")
    if address.street:
        b.add(postal, "cbc:StreetName", address.street)
    if address.additional:
        b.add(postal, "cbc:AdditionalStreetName", address.additional)
    if address.city:
        b.add(postal, "cbc:CityName", address.city)
    if address.postcode:
        b.add(postal, "cbc:PostalZone", address.postcode)
    b.add(b.add(postal, "cac:Country"), "cbc:IdentificationCode", "DK")
    b.add(b.add(party, "cac:PartyLegalEntity"), "cbc:RegistrationName", organisation.name)
    contact = b.add(party, "cac:Contact")
    b.add(contact, "cbc:Name", membership.invoice_contact_name)
    b.add(contact, "cbc:ElectronicMail", membership.invoice_contact_email)


def _payment(b: _Builder, parent, seller, number: str, due: datetime.date) -> None:
    means = b.add(parent, "cac:PaymentMeans")
    if seller.bank_account_no:
        b.add(means, "cbc:PaymentMeansCode", PAYMENT_BANK_TRANSFER)
        b.add(means, "cbc:PaymentID", number)
        account = b.add(means, "cac:PayeeFinancialAccount")
        b.add(account, "cbc:ID", seller.bank_account_no)
        b.add(b.add(account, "cac:FinancialInstitutionBranch"), "cbc:ID", seller.bank_reg_no)
    else:
        b.add(means, "cbc:PaymentMeansCode", PAYMENT_SEPA)
        b.add(means, "cbc:PaymentID", number)
        b.add(b.add(means, "cac:PayeeFinancialAccount"), "cbc:ID", seller.iban)
    terms = b.add(parent, "cac:PaymentTerms")
    b.add(
        terms,
        "cbc:Note",
        _("Net %(days)s days. Due %(date)s.")
        % {"days": seller.payment_days, "date": f"{due:%d.%m.%Y}"},
    )


def issue_date(membership: Membership) -> datetime.date:
    return timezone.localtime(membership.approved_at).date()


def invoice_xml(membership: Membership, seller) -> bytes:
    """The membership's invoice as Peppol BIS Billing 3.0 XML (UTF-8). `seller` is the
    site's `SiteSettings`. Raises InvoiceError (a Danish message for staff) when the
    membership is not invoiceable or the seller details are incomplete."""
    if not membership.is_invoiceable:
        raise InvoiceError(
            _("%(membership)s has no e-invoice: it is not approved or has no price.")
            % {"membership": membership}
        )
    if missing := seller.invoice_details_missing():
        raise InvoiceError(
            _("Fill in the seller details in Settings > Site settings first: %(fields)s.")
            % {"fields": ", ".join(missing)}
        )
    with override("da"):
        return _invoice_xml(membership, seller)


def _invoice_xml(membership: Membership, seller) -> bytes:
    price = membership.price
    number = membership.invoice_number
    issued = issue_date(membership)
    due = issued + datetime.timedelta(days=seller.payment_days)
    network = membership.network.title
    period = f"{price.period_start:%d.%m.%Y}-{price.period_end:%d.%m.%Y}"

    b = _Builder()
    root = b.root
    b.add(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
    b.add(root, "cbc:ProfileID", PROFILE_ID)
    b.add(root, "cbc:ID", number)
    b.add(root, "cbc:IssueDate", issued.isoformat())
    b.add(root, "cbc:DueDate", due.isoformat())
    b.add(root, "cbc:InvoiceTypeCode", INVOICE_TYPE)
    b.add(root, "cbc:Note", price.rule)
    b.add(root, "cbc:DocumentCurrencyCode", CURRENCY)
    b.add(
        root,
        "cbc:BuyerReference",
        membership.purchase_reference or membership.invoice_contact_name,
    )
    invoice_period = b.add(root, "cac:InvoicePeriod")
    b.add(invoice_period, "cbc:StartDate", price.period_start.isoformat())
    b.add(invoice_period, "cbc:EndDate", price.period_end.isoformat())
    if membership.purchase_reference:
        b.add(b.add(root, "cac:OrderReference"), "cbc:ID", membership.purchase_reference)
    _seller_party(b, root, seller)
    _buyer_party(b, root, membership)
    _payment(b, root, seller, number, due)

    tax_total = b.add(root, "cac:TaxTotal")
    b.amount(tax_total, "cbc:TaxAmount", price.vat)
    subtotal = b.add(tax_total, "cac:TaxSubtotal")
    b.amount(subtotal, "cbc:TaxableAmount", price.amount)
    b.amount(subtotal, "cbc:TaxAmount", price.vat)
    _tax_category(b, subtotal, "cac:TaxCategory")

    totals = b.add(root, "cac:LegalMonetaryTotal")
    b.amount(totals, "cbc:LineExtensionAmount", price.amount)
    b.amount(totals, "cbc:TaxExclusiveAmount", price.amount)
    b.amount(totals, "cbc:TaxInclusiveAmount", price.amount_incl_vat)
    b.amount(totals, "cbc:PayableAmount", price.amount_incl_vat)

    line = b.add(root, "cac:InvoiceLine")
    b.add(line, "cbc:ID", "1")
    b.add(line, "cbc:Note", price.rule)
    b.add(line, "cbc:InvoicedQuantity", "1", unitCode=UNIT_ONE)
    b.amount(line, "cbc:LineExtensionAmount", price.amount)
    line_period = b.add(line, "cac:InvoicePeriod")
    b.add(line_period, "cbc:StartDate", price.period_start.isoformat())
    b.add(line_period, "cbc:EndDate", price.period_end.isoformat())
    item = b.add(line, "cac:Item")
    b.add(
        item,
        "cbc:Description",
        _("Membership of %(network)s, %(period)s (%(quarters)s of %(of)s quarters)")
        % {
            "network": network,
            "period": period,
            "quarters": price.quarters,
            "of": pricing.QUARTERS_IN_A_YEAR,
        },
    )
    b.add(
        item,
        "cbc:Name",
        _("Membership %(network)s %(year)s") % {"network": network, "year": membership.year},
    )
    _tax_category(b, item, "cac:ClassifiedTaxCategory")
    b.amount(b.add(line, "cac:Price"), "cbc:PriceAmount", price.amount)

    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _tax_category(b: _Builder, parent, name: str) -> None:
    category = b.add(parent, name)
    b.add(category, "cbc:ID", VAT_CATEGORY)
    b.add(category, "cbc:Percent", f"{pricing.VAT_RATE:.0f}")
    b.add(b.add(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def filename(membership: Membership) -> str:
    return f"faktura-{membership.invoice_number}.xml"


def year_zip(memberships, seller) -> bytes:
    """The invoices of `memberships` (already invoiceable) in one zip, one XML file each,
    ordered by invoice number. Raises InvoiceError like `invoice_xml`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for membership in memberships:
            archive.writestr(filename(membership), invoice_xml(membership, seller))
    return buffer.getvalue()
