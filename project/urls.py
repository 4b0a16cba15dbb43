from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path
from django.views import defaults

from apps.accounts.forms import AdminLoginForm
from apps.core.errors import error_response
from apps.core.views import metrics
from project.api import api

admin.site.site_header = "Lingua administration"
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("metrics", metrics, name="metrics"),
    path("teacher/progress/", include("apps.progress.urls")),
    path("teacher/", include("apps.leveltest.urls")),
]


def _json_under_api(status: int, fallback):
    def handler(request: HttpRequest, *args, **kwargs):
        if request.path.startswith("/api/"):
            return error_response(status)
        return fallback(request, *args, **kwargs)

    return handler


handler400 = _json_under_api(400, defaults.bad_request)
handler403 = _json_under_api(403, defaults.permission_denied)
handler404 = _json_under_api(404, defaults.page_not_found)
handler500 = _json_under_api(500, defaults.server_error)
