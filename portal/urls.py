from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from . import views

# Every password is checked by allauth, with its rate limits and e-mail verification.
# The two other login forms that Django and Wagtail ship are not served: the admin's
# (WAGTAILADMIN_LOGIN_URL) and the page-privacy login at /_util/login/, where private
# pages and documents sent anonymous visitors (WAGTAIL_FRONTEND_LOGIN_URL now points to
# allauth; old links are redirected). Django's own admin (/django-admin/) is not installed.
urlpatterns = [
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="admin_login_redirect",
    ),
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="frontend_login_redirect",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("konto/", include("allauth.urls")),
    path("min-side/", views.my_page, name="my_page"),
    path("min-side/mine-data/", views.my_data, name="my_data"),
    path("min-side/mine-data.json", views.my_data_json, name="my_data_json"),
    path("min-side/slet-konto/", views.delete_account, name="delete_account"),
    path("netvaerk/", include("network.urls")),
    path("moeder/", include("meetings.urls")),
    path("aftaler/", include("network.library.urls")),
    path("soeg/", views.search, name="search"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Images only: documents go through Wagtail's serve view, which checks privacy, and
    # private files live outside MEDIA_ROOT altogether.
    for folder in ("images", "original_images"):
        urlpatterns += static(
            f"{settings.MEDIA_URL}{folder}/", document_root=settings.MEDIA_ROOT / folder
        )

urlpatterns += [path("", include(wagtail_urls))]
