"""The role matrix's rows for the surveys API endpoints (gathered by surveys/tests/access.py).

The POSTs send no body, so the one caller allowed (the API client: an external survey tool, an SMS
or IVR provider) gets a 400 and nothing is stored for the next row."""

from contactcentre.tests.matrix import API_C, TL, M, api

READERS = (TL, M, API_C)

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("survey-results", "/api/v1/surveys/results/", "get", api(*READERS)),
    ("survey-results", "/api/v1/surveys/results/?group_by=team", "get", api(*READERS)),
    ("survey-responses", "/api/v1/surveys/responses/", "get", api(*READERS)),
    ("survey-responses", "/api/v1/surveys/responses/", "post", api(API_C, ok=400)),
    ("survey-scores-webhook", "/api/v1/surveys/scores/", "post", api(API_C, ok=400)),
]


def records(people: dict, base: dict) -> dict:
    """The records this area's rows name, as {placeholder: id}: none."""
    return {}
