from django.http import HttpRequest, HttpResponse

from apps.core.metrics import render


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition of every process's metrics on this machine."""
    body, content_type = render()
    return HttpResponse(body, content_type=content_type)
