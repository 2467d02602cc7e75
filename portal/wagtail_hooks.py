from wagtail import hooks

from . import audit, audit_actions  # noqa: F401 (audit_actions declares)


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    # Apps declare their actions with audit.action() in modules their wagtail_hooks import,
    # so every declaration is in place before Wagtail first scans this hook.
    audit.register(actions)
