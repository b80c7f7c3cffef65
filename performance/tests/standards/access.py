"""The role matrix's rows for the standards, promises and sites pages (gathered by
performance/tests/access.py). Managers read and set standards; the POSTs are empty, so those who
may set a standard get the form back with its errors (400) and nothing changes."""

from contactcentre.tests.matrix import ADM, API, CA, HR, TL, A, M, N, api, every, only, posted  # noqa: F401

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("performance:standards", "/performance/standards/", "get", only(M)),
    ("performance:standard-new", "/performance/standards/new/", "get", only(M)),
    ("performance:standard-new", "/performance/standards/new/", "post", only(M) | {M: 400}),
    ("performance:standard", "/performance/standards/{standard}/", "get", only(M)),
    ("performance:standard-change", "/performance/standards/{standard}/change/", "get", only(M)),
    ("performance:standard-change", "/performance/standards/{standard}/change/", "post", only(M) | {M: 400}),
    ("performance:standard-retire", "/performance/standards/{standard}/retire/", "post", only(M) | {M: 400}),
    ("performance:promises", "/performance/promises/", "get", only(M)),
    ("performance:sites", "/performance/sites/", "get", only(M)),
]


def records(people: dict, base: dict) -> dict:
    """The records this area's rows name, as {placeholder: id}: a service-level standard of the
    matrix site's own (made here: a browser test's flush removes the seeded defaults)."""
    from performance.models import Metric
    from staff.models import Site

    from .factories import standard

    return {"standard": standard(Metric.SERVICE_LEVEL, 85, 75, site=Site.objects.get(pk=base["site"])).pk}
