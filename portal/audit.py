"""One audit trail: Wagtail's own log.

Rule-bearing changes (memberships, affiliations, registrations, agreements and their
consents, MFA, data exports and account deletions) are written with `record()` onto
Wagtail's log entries (`ModelLogEntry`, `PageLogEntry` for pages), so they show in the
admin's History views and the site history report, can be filtered and exported there,
and outlive the object they are about (a log entry keeps the object's id and label).

Each app declares its actions once, with a Danish label, through `action()`; the
`register_log_actions` hook in `portal/wagtail_hooks.py` hands them to Wagtail. Action
names are namespaced by app: `network.membership.approved`, `library.consent.given`.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from wagtail.log_actions import log


@dataclass(frozen=True)
class AuditAction:
    name: str
    label: str | Promise  # shown in filters and as the entry's message
    message: str | Promise


ACTIONS: dict[str, AuditAction] = {}


def action(name: str, label, message=None) -> str:
    """Declare an audit action (at import time of the app's module) and return its name."""
    ACTIONS[name] = AuditAction(name, label, message or label)
    return name


def record(instance, action_name: str, *, by=None, data: dict | None = None, title: str = ""):
    """Write one entry on Wagtail's log for `instance`. `by` is the person who acted
    (None for the system: a scheduled task, a signed link); `data` is JSON-serialisable
    detail shown in the history (old and new values, a reason, a note)."""
    if action_name not in ACTIONS:
        raise ValueError(f"Unknown audit action {action_name!r}: declare it with audit.action()")
    return log(
        instance,
        action_name,
        user=by if getattr(by, "is_authenticated", False) else None,
        data=data or {},
        title=title or str(instance)[:255],
    )


def register(actions) -> None:
    """The `register_log_actions` hook body: every declared action, with its label."""
    for audit_action in ACTIONS.values():
        actions.register_action(audit_action.name, audit_action.label, audit_action.message)
