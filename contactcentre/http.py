"""Request helpers shared by the login lockout, the API throttles and the audit trail."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The caller's address: behind PROXY_COUNT proxies that each append to X-Forwarded-For, the
    address the outermost trusted proxy saw; with none, the socket's. (DRF's throttles read the same
    setting as NUM_PROXIES, so lockout, throttling and audit agree on who the caller is.)"""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    return addresses[-min(proxies, len(addresses))] if addresses else remote
