"""Wagtail admin wiring of the portal itself (each app has its own wagtail_hooks.py)."""

from django.conf import settings
from storages.backends.s3 import S3Storage
from wagtail import hooks
from wagtail.models import Page

from . import audit, audit_actions, mfa, private_files  # noqa: F401 (audit_actions declares)
from . import hooks as portal_hooks
from .slugs import PortalPageForm


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    # Apps declare their actions with audit.action() in modules their wagtail_hooks import,
    # so every declaration is in place before Wagtail first scans this hook.
    audit.register(actions)


@hooks.register(portal_hooks.MY_PAGE_SECTIONS)
def two_factor_section(request):
    return mfa.my_page_section(request)


@hooks.register("register_admin_urls")
def use_the_portal_page_form():
    """Every page type's editor uses `portal.slugs.PortalPageForm` as its base form
    (Danish ASCII slugs; a Danish message that links to an abandoned draft holding the
    address). wagtail.admin's AppConfig.ready() sets `Page.base_form_class` to Wagtail's
    own form and may run after this module is first imported, so the portal's is set when
    the admin's URLs are built: after every app is ready, before any page form exists."""
    Page.base_form_class = PortalPageForm
    return []


@hooks.register("register_admin_viewset")
def register_outgoing_email_viewset():
    from wagtail.permissions import register_permission_policy

    from .admin_views import OutgoingEmailViewSet, ReadOnlyPermissionPolicy
    from .models import OutgoingEmail

    register_permission_policy(OutgoingEmail, ReadOnlyPermissionPolicy(OutgoingEmail))
    return OutgoingEmailViewSet()


@hooks.register("before_serve_document", order=100)
def send_documents_from_object_storage_through_nginx(document, request):
    """Behind nginx (PRIVATE_FILES_ACCEL) with documents in object storage, nginx sends
    the document (X-Accel-Redirect, as for private files) instead of a gunicorn thread
    streaming it from S3. Runs after Wagtail's collection-privacy check (order 0), which
    answers first when the visitor may not see the document. On disk, or without nginx,
    Wagtail's serve view streams it as before."""
    if not (settings.PRIVATE_FILES_ACCEL and isinstance(document.file.storage, S3Storage)):
        return None
    response = private_files.private_file_response(
        document.file,
        filename=document.filename,
        content_type=document.content_type,
        as_attachment=not document.content_disposition.startswith("inline"),
    )
    # What Wagtail's view adds: no scripts run from a document opened in the browser.
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
