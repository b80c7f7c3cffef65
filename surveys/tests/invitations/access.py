"""The role matrix's rows for the surveys invitations pages and endpoints (gathered by surveys/tests/access.py).
The member's pages need no login: they answer every caller alike, by the link's token alone."""

from contactcentre.tests.matrix import ADM, API, CA, HR, TL, A, M, N, api, every, only, posted  # noqa: F401

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("survey-respond", "/s/{survey_token}/", "get", every(200, 200)),
    # Nothing answered: the form again, with its errors (nothing is stored).
    ("survey-respond", "/s/{survey_token}/", "post", every(400, 400)),
    # Not answered yet: back to the survey.
    ("survey-thanks", "/s/{survey_token}/thanks/", "get", every(302, 302)),
    # The GET only: the POST would opt the member out.
    ("survey-opt-out", "/s/{survey_token}/opt-out/", "get", every(200, 200)),
]


def records(people: dict, base: dict) -> dict:
    """The records this area's rows name, as {placeholder: id}: an invitation's link token."""
    from calls.tests.factories import ContactFactory
    from customers.models import Customer

    from ..factories import make_invitation, make_survey

    contact = ContactFactory(customer=Customer.objects.get(pk=base["member"]))
    _invitation, token = make_invitation(survey=make_survey(code="invitations-matrix"), contact=contact)
    return {"survey_token": token}
