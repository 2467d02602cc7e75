from wagtail import hooks

from . import audit, mfa
from . import hooks as portal_hooks


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    # Apps declare their actions with audit.action() in modules their wagtail_hooks import,
    # so every declaration is in place before Wagtail first scans this hook.
    audit.register(actions)


@hooks.register(portal_hooks.MY_PAGE_SECTIONS)
def two_factor_section(request):
    return mfa.my_page_section(request)
