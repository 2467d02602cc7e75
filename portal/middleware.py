from django.conf import settings


class AdminPreviewFrameOptionsMiddleware:
    """Let the Wagtail admin frame its own previews; everything else stays DENY.

    X_FRAME_OPTIONS is DENY site-wide (as `check --deploy` asks); the admin's live preview
    shows pages in an iframe from the same origin, so admin responses get SAMEORIGIN.
    Sits below XFrameOptionsMiddleware, which keeps a header that is already set.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = getattr(settings, "WAGTAILADMIN_PATH_PREFIX", "/admin/")

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefix):
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
