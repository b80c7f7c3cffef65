"""The role matrix's rows for the survey definitions pages (gathered by surveys/tests/access.py):
managers only. The POSTs are empty, so the manager gets the form again with its errors (400) and
nothing changes for the next row."""

from contactcentre.tests.matrix import M, only

REFUSED = only(M) | {M: 400}

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("surveys:definitions", "/surveys/definitions/", "get", only(M)),
    ("surveys:definition-new", "/surveys/definitions/new/", "get", only(M)),
    ("surveys:definition-new", "/surveys/definitions/new/", "post", REFUSED),
    ("surveys:definition", "/surveys/definitions/{survey_definition}/", "get", only(M)),
    ("surveys:definition", "/surveys/definitions/{survey_definition}/?version=1", "get", only(M)),
    ("surveys:definition-edit", "/surveys/definitions/{survey_definition}/edit/", "get", only(M)),
    ("surveys:definition-edit", "/surveys/definitions/{survey_definition}/edit/", "post", REFUSED),
    ("surveys:definition-active", "/surveys/definitions/{survey_definition}/active/", "post", REFUSED),
    ("surveys:sampling", "/surveys/sampling/", "get", only(M)),
    ("surveys:sampling-new", "/surveys/sampling/new/", "get", only(M)),
    ("surveys:sampling-new", "/surveys/sampling/new/", "post", REFUSED),
    ("surveys:sampling-edit", "/surveys/sampling/{sampling_rule}/", "get", only(M)),
    ("surveys:sampling-edit", "/surveys/sampling/{sampling_rule}/", "post", REFUSED),
]


def records(people: dict, base: dict) -> dict:
    """A post-contact survey and a sampling rule for a queue of its own (so that no other area's
    default rule is in its way)."""
    from decimal import Decimal

    from calls.tests.factories import QueueFactory
    from surveys.models import SamplingRule
    from surveys.tests.factories import make_survey

    survey = make_survey(code="matrix-definitions")
    rule = SamplingRule.objects.create(queue=QueueFactory(), survey=survey, percentage=Decimal("10"))
    return {"survey_definition": survey.pk, "sampling_rule": rule.pk}
