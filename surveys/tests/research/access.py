"""The role matrix's rows for the surveys research pages and endpoints (gathered by surveys/tests/access.py).

The matrix POSTs nothing: each form's empty POST is invalid, so the allowed callers get the form or
the widget again with its errors (400) and nothing changes for the next row."""

from datetime import date

from contactcentre.tests.matrix import ADM, API, CA, HR, TL, A, M, N, api, every, only, posted  # noqa: F401

INVALID = 400

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("surveys:themes", "/surveys/themes/", "get", only(TL, M)),
    ("surveys:theme", "/surveys/themes/{research_theme}/", "get", only(TL, M)),
    ("surveys:theme-new", "/surveys/themes/new/", "get", only(M)),
    ("surveys:theme-new", "/surveys/themes/new/", "post", only(M) | {M: INVALID}),
    ("surveys:theme-edit", "/surveys/themes/{research_theme}/edit/", "get", only(M)),
    ("surveys:theme-edit", "/surveys/themes/{research_theme}/edit/", "post", only(M) | {M: INVALID}),
    ("surveys:focus-groups", "/surveys/focus-groups/", "get", only(M)),
    ("surveys:focus-groups", "/surveys/focus-groups/?kind=panel", "get", only(M)),
    ("surveys:focus-group-new", "/surveys/focus-groups/new/", "get", only(M)),
    ("surveys:focus-group-new", "/surveys/focus-groups/new/", "post", only(M) | {M: INVALID}),
    ("surveys:focus-group", "/surveys/focus-groups/{research_focus_group}/", "get", only(M)),
    ("surveys:focus-group-edit", "/surveys/focus-groups/{research_focus_group}/edit/", "get", only(M)),
    ("surveys:focus-group-edit", "/surveys/focus-groups/{research_focus_group}/edit/", "post", only(M) | {M: INVALID}),
    # No membership number; no theme: refused with the page again.
    (
        "surveys:focus-group-participants",
        "/surveys/focus-groups/{research_focus_group}/participants/",
        "post",
        only(M) | {M: INVALID},
    ),
    (
        "surveys:focus-group-findings",
        "/surveys/focus-groups/{research_focus_group}/findings/",
        "post",
        only(M) | {M: INVALID},
    ),
    # The comment is of a call the matrix agent handled, in the matrix team leader's team.
    ("surveys:comment-codes", "/surveys/comments/{research_comment}/codes/", "get", only(TL, M)),
    (
        "surveys:comment-codes",
        "/surveys/comments/{research_comment}/codes/",
        "post",
        only(TL, M) | {TL: INVALID, M: INVALID},
    ),
]


def records(people: dict, base: dict) -> dict:
    """The records this area's rows name, as {placeholder: id}."""
    from staff.models import Team
    from surveys.models import Answer, FocusGroup
    from surveys.services.responses import response_submit
    from surveys.tests.factories import ThemeFactory, handled_contact, make_survey

    theme = ThemeFactory(code="matrix-theme", name="Waiting times", complaint_category="service", keywords="wait")
    session = FocusGroup.objects.create(
        title="Matrix panel", kind="panel", held_on=date(2026, 2, 10), facilitator=people[M], created_by=people[M]
    )
    contact = handled_contact(agent=people[A], team=Team.objects.get(pk=base["staff_team"]))
    survey = make_survey(code="matrix-research")
    values = {"csat": 2, "ces": 3, "nps": 7, "comment": "I had to wait on hold for forty minutes."}
    response, _created = response_submit(survey=survey, values=values, source="api", contact=contact)
    comment = Answer.objects.get(response=response, question__code="comment")
    return {"research_theme": theme.pk, "research_focus_group": session.pk, "research_comment": comment.pk}
