"""Project-level pages: home (sends each role to its workspace), login with the user's language,
the language switcher, system status, the health check, and error pages (JSON under /api/)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from calls.selectors.telephony import fold_backlog
from staff.selectors import workspace_url_for
from staff.services import user_language_set

from . import api_errors, selectors
from .http import client_ip
from .models import AuditAction
from .services import audit_record


@login_required
def home(request: HttpRequest) -> HttpResponse:
    url = workspace_url_for(request.user)
    if url is None:
        raise PermissionDenied(_("Your account has no workspace in the browser."))
    return redirect(url)


class LoginView(auth_views.LoginView):
    """Django's login, plus: the interface switches to the person's preferred language, and the
    login is written to the audit trail."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        audit_record(actor=user, action=AuditAction.LOGIN, obj=user, ip_address=client_ip(self.request))
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit_record(actor=request.user, action=AuditAction.LOGOUT, obj=request.user, ip_address=client_ip(request))
        return super().post(request, *args, **kwargs)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switcher, which also remembers the choice on the signed-in person's account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and isinstance(response, HttpResponseRedirect):
        user_language_set(user=request.user, language=language)
    return response


@login_required
@permission_required("staff.view_system_status", raise_exception=True)
def system_status(request: HttpRequest) -> HttpResponse:
    context = {
        "heartbeat": selectors.heartbeat_status(),
        "platform": selectors.platform(),
        "database_ok": selectors.database_ok(),
        "fold_backlog": fold_backlog(),
    }
    template = "contactcentre/partials/status_body.html" if request.htmx else "contactcentre/status.html"
    return render(request, template, context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and compose health checks: 200 while the database answers."""
    ok = selectors.database_ok()
    return JsonResponse({"status": "ok" if ok else "unavailable"}, status=200 if ok else 503)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _error(request: HttpRequest, status_code: int, template: str) -> HttpResponse:
    if _is_api(request):
        code, message = api_errors.API_ERRORS[status_code]
        return api_errors.json_error_response(status_code, code, message)
    return render(request, template, status=status_code)


@csrf_exempt  # any method to an unknown API URL is a 404, not a CSRF failure
def api_not_found(request: HttpRequest) -> HttpResponse:
    return _error(request, 404, "404.html")


def bad_request(request, exception=None):
    return _error(request, 400, "400.html")


def permission_denied(request, exception=None):
    if _is_api(request):
        return _error(request, 403, "403.html")
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return _error(request, 404, "404.html")


def server_error(request):
    if _is_api(request):
        return _error(request, 500, "500.html")
    # Rendered without the request (and so without the database): only the active language is used.
    context = {"language": get_language() or settings.LANGUAGE_CODE, "bidi": get_language_bidi()}
    return HttpResponse(loader.render_to_string("500.html", context), status=500)


def csrf_failure(request, reason=""):
    if _is_api(request):
        return api_errors.json_error_response(403, "csrf_failed", "CSRF verification failed.")
    messages.error(request, _("Your form expired or came from elsewhere. Please try again."))
    next_url = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return render(request, "403_csrf.html", {"next_url": next_url}, status=403)
