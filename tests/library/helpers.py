"""Reading the agreements' audit trail (Wagtail's log) in tests."""

from wagtail.models import ModelLogEntry


def log_of(agreement) -> list[ModelLogEntry]:
    """The agreement's log entries, oldest first."""
    return list(ModelLogEntry.objects.for_instance(agreement).order_by("timestamp", "pk"))


def actions_of(agreement) -> list[str]:
    return [entry.action for entry in log_of(agreement)]
