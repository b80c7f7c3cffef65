"""The role matrix's rows for the five-gap page, the prescriptions and the wallboard (gathered by
performance/tests/access.py). Managers read the gaps; team leaders and managers the wallboard."""

from contactcentre.tests.matrix import ADM, API, CA, HR, TL, A, M, N, api, every, only, posted  # noqa: F401

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("performance:gaps", "/performance/gaps/", "get", only(M)),
    ("performance:gap-prescriptions", "/performance/gaps/4/", "get", only(M)),
    ("performance:wallboard", "/performance/wallboard/", "get", only(TL, M)),
    ("performance:wallboard-live", "/performance/wallboard/live/?site={wallboard_site}", "get", only(TL, M)),
]


def records(people: dict, base: dict) -> dict:
    """The records this area's rows name, as {placeholder: id}."""
    return {"wallboard_site": base["site"]}
