"""The role matrix's rows for the performance app's kpis area (gathered by performance/tests/access.py)."""

from contactcentre.tests.matrix import ADM, API, CA, HR, TL, A, M, N, api, every, only, posted  # noqa: F401

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = []


def records(people: dict, base: dict) -> dict:
    """The records this area's rows name, as {placeholder: id}."""
    return {}
