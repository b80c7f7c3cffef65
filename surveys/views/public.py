"""The public pages of the surveys app: the member answers the survey a link invites them to, and may
opt out of surveys. No login: the signed token is the key. A forged link is 404, an expired or used
one 410, and none of these stores anything. POSTs are throttled per client address."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from contactcentre.exceptions import DomainError
from contactcentre.http import client_ip
from contactcentre.throttling import hit_count

from ..exceptions import LINK_MESSAGES, AlreadyAnswered, LinkUnusable
from ..forms.public import POINTS_TOTAL, SurveyAnswersForm
from ..models import Invitation, Question, ResponseSource
from ..services.invitations import invitation_for_link, invitation_opened, member_opt_out
from ..services.responses import invitation_for_token, response_submit

# Answers and opt-outs per client address in a window: a member needs a handful; a household or an
# office behind one address a few dozen.
POSTS_PER_WINDOW = 30
WINDOW_SECONDS = 10 * 60
LINK_STATUS = {"forged": 404, "expired": 410, "used": 410, "closed": 410}


def _languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def _activate(request: HttpRequest, invitation: Invitation | None) -> str:
    """The page's language: ?lang= when the member switched, else the invitation's (else the browser's)."""
    chosen = request.GET.get("lang", "")
    if chosen in _languages():
        language = chosen
    elif invitation is not None:
        language = invitation.language
    else:
        language = translation.get_language()
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def _switch(request: HttpRequest, language: str) -> dict:
    """The link to the same page in the other language."""
    other = next(code for code in sorted(_languages()) if code != language)
    return {
        "url": f"{request.path}?lang={other}",
        "code": other,
        "name": translation.get_language_info(other)["name_local"],
    }


def _with_lang(url: str, request: HttpRequest) -> str:
    return f"{url}?lang={request.GET['lang']}" if request.GET.get("lang", "") in _languages() else url


def _throttled(request: HttpRequest) -> HttpResponse | None:
    window = int(time.time() // WINDOW_SECONDS)
    if hit_count(cache, f"surveys:public-post:{client_ip(request)}:{window}", WINDOW_SECONDS + 1) <= POSTS_PER_WINDOW:
        return None
    response = render(request, "surveys/public/throttled.html", status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def _unusable(request: HttpRequest, reason: str, token: str) -> HttpResponse:
    """A clear page for a link that cannot be answered; an expired or used one can still opt out."""
    invitation = None
    if reason != "forged":
        invitation = invitation_for_link(token)
    language = _activate(request, invitation)
    context = {
        "reason": reason,
        "message": LINK_MESSAGES[reason],
        "opt_out_url": _with_lang(reverse("survey-opt-out", args=[token]), request) if invitation else "",
        "switch": _switch(request, language),
    }
    return render(request, "surveys/public/unusable.html", context, status=LINK_STATUS[reason])


@never_cache
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST" and (refused := _throttled(request)):
        return refused
    try:
        invitation = invitation_for_token(token)
    except LinkUnusable as error:
        return _unusable(request, error.reason, token)
    language = _activate(request, invitation)
    survey = invitation.survey
    questions = list(Question.objects.filter(version_id=survey.current_version_id))
    status = 200
    if request.method == "POST":
        form = SurveyAnswersForm(questions, language, request.POST)
        if form.is_valid():
            try:
                response_submit(
                    survey=survey,
                    values=form.values(),
                    source=ResponseSource.LINK,
                    invitation=invitation,
                    language=language,
                )
            except LinkUnusable as error:
                return _unusable(request, error.reason, token)
            except AlreadyAnswered:
                return _unusable(request, "used", token)
            except DomainError as error:
                form.add_service_errors(error)
            else:
                return redirect(_with_lang(reverse("survey-thanks", args=[token]), request))
        status = 400
    else:
        invitation_opened(invitation=invitation)
        form = SurveyAnswersForm(questions, language)
    arabic = language == "ar"
    context = {
        "form": form,
        "sections": form.sections(),
        "survey_name": (survey.name_ar if arabic else "") or survey.name,
        "introduction": (survey.introduction_ar if arabic else "") or survey.introduction,
        "action": _with_lang(request.path, request),
        "opt_out_url": _with_lang(reverse("survey-opt-out", args=[token]), request),
        "points_total": POINTS_TOTAL,
        "switch": _switch(request, language),
    }
    return render(request, "surveys/public/respond.html", context, status=status)


@never_cache
@require_http_methods(["GET"])
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    """Where an answered survey lands (and what a refresh shows)."""
    try:
        invitation = invitation_for_link(token)
    except LinkUnusable:
        return _unusable(request, "forged", token)
    if invitation.answered_at is None:
        return redirect(_with_lang(reverse("survey-respond", args=[token]), request))
    language = _activate(request, invitation)
    context = {
        "opt_out_url": _with_lang(reverse("survey-opt-out", args=[token]), request),
        "switch": _switch(request, language),
    }
    return render(request, "surveys/public/thanks.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST withdraws consent to surveys. Works with a used or expired link."""
    if request.method == "POST" and (refused := _throttled(request)):
        return refused
    try:
        invitation = invitation_for_link(token)
    except LinkUnusable:
        return _unusable(request, "forged", token)
    if request.method == "POST":
        member_opt_out(invitation=invitation, ip_address=client_ip(request))
        return redirect(_with_lang(request.path, request))
    language = _activate(request, invitation)
    context = {
        "opted_out": not invitation.customer.consent_research,
        "action": _with_lang(request.path, request),
        "switch": _switch(request, language),
    }
    return render(request, "surveys/public/opt_out.html", context)


urls: list[URLPattern] = [
    path("<str:token>/", respond, name="survey-respond"),
    path("<str:token>/thanks/", thanks, name="survey-thanks"),
    path("<str:token>/opt-out/", opt_out, name="survey-opt-out"),
]
