"""The role matrix's rows for the surveys results and closing-the-loop pages (gathered by
surveys/tests/access.py).

The records are a detractor's response about a contact handled by the matrix agent, in the team the
matrix team leader leads, so its follow-up is the team leader's; the manager sees every response.
Other teams' refusals (404) are tested in test_views.py and test_loop.py. The POST on the follow-up
is empty: those who may close it get the form back with its errors (400), and it stays open."""

from contactcentre.tests.matrix import ADM, API, CA, HR, TL, A, M, N, api, every, only, posted  # noqa: F401

READERS = (TL, M)

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("surveys:results", "/surveys/", "get", only(*READERS)),
    ("surveys:results", "/surveys/?group_by=agent&team={staff_team}", "get", only(*READERS)),
    ("surveys:results-export", "/surveys/export.csv", "get", only(*READERS)),
    ("surveys:results-export", "/surveys/export.xlsx?group_by=week", "get", only(*READERS)),
    ("surveys:verbatims", "/surveys/verbatims/", "get", only(*READERS)),
    ("surveys:verbatims-export", "/surveys/verbatims/export.csv", "get", only(*READERS)),
    ("surveys:verbatims-export", "/surveys/verbatims/export.xlsx", "get", only(*READERS)),
    ("surveys:response", "/surveys/responses/{survey_response}/", "get", only(*READERS)),
    ("surveys:loops", "/surveys/follow-ups/", "get", only(*READERS)),
    ("surveys:loop", "/surveys/follow-ups/{survey_loop}/", "get", only(*READERS)),
    ("surveys:loop", "/surveys/follow-ups/{survey_loop}/", "post", only(*READERS) | dict.fromkeys(READERS, 400)),
]


def records(people: dict, base: dict) -> dict:
    """The records this area's rows name, as {placeholder: id}."""
    from django.utils import timezone

    from calls.tests.factories import ContactFactory
    from customers.models import Customer
    from surveys.services.responses import response_submit

    from ..factories import make_survey

    agent = people[A]
    contact = ContactFactory(
        agent=agent,
        site=agent.site,
        customer=Customer.objects.get(pk=base["member"]),
        outcome="information_given",
        wrapped_up_at=timezone.now(),
    )
    response, _created = response_submit(
        survey=make_survey(code="matrix-results", name="After your call"),
        values={"csat": 2, "nps": 3, "ces": 2, "comment": "Kept on hold for ages."},
        source="api",
        contact=contact,
    )
    return {"survey_response": response.pk, "survey_loop": response.loop.pk}
