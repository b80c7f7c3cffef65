"""The role matrix's rows for the SERVQUAL pages and endpoint (gathered by surveys/tests/access.py).

Who and why:
- The scores page and its export: managers (surveys.view_response). SERVQUAL is the organisation's
  research, run and read by managers; team leaders read their own teams' post-contact results instead.
- Inviting a panel: managers (surveys.add_invitation). The empty POST is the form again, a 400.
- The management perception study: managers (staff.view_management), who are the study's respondents.
  The empty POST is the form again with its errors, a 400; nothing is stored.
- The API: everyone holding surveys.view_results (team leaders, managers, API clients for reporting
  tools); a team leader's figures count only responses tied to their teams (selectors/servqual.py)."""

from contactcentre.tests.matrix import ADM, API, API_C, CA, HR, TL, A, M, N, api, every, only, posted  # noqa: F401

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("surveys:servqual", "/surveys/servqual/", "get", only(M)),
    ("surveys:servqual", "/surveys/servqual/?survey={servqual_survey}", "get", only(M)),
    ("surveys:servqual-export", "/surveys/servqual/export.csv", "get", only(M)),
    ("surveys:servqual-export", "/surveys/servqual/export.xlsx?survey={servqual_survey}", "get", only(M)),
    ("surveys:servqual-invite", "/surveys/servqual/invite/", "get", only(M)),
    ("surveys:servqual-invite", "/surveys/servqual/invite/", "post", only(M) | {M: 400}),
    ("surveys:management-study", "/surveys/servqual/management-study/", "get", only(M)),
    ("surveys:management-study", "/surveys/servqual/management-study/", "post", only(M) | {M: 400}),
    ("survey-servqual", "/api/v1/surveys/servqual/", "get", api(TL, M, API_C)),
    ("survey-servqual", "/api/v1/surveys/servqual/?survey={servqual_survey_code}", "get", api(TL, M, API_C)),
]


def records(people: dict, base: dict) -> dict:
    """A SERVQUAL survey and an open management study (nobody has answered either)."""
    from surveys.models import SurveyKind
    from surveys.tests.factories import make_survey

    survey = make_survey(SurveyKind.SERVQUAL, code="matrix-servqual", name="Matrix SERVQUAL")
    make_survey(SurveyKind.MANAGEMENT, code="matrix-management", name="Matrix management study")
    return {"servqual_survey": survey.pk, "servqual_survey_code": survey.code}
