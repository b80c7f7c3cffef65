"""Middleware of the project's own."""

from django.http import HttpRequest, HttpResponse


class HealthCheckMiddleware:
    """Answers /healthz/ before host validation and the HTTPS redirect: load balancers probe each
    instance by its address, over plain HTTP, with whatever Host header they like."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz/":
            from .views import healthz

            return healthz(request)
        return self.get_response(request)
