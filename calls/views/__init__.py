"""The browser side of calls, one module per screen family."""

from django.http import HttpRequest


def ids_from_query(request: HttpRequest, names: tuple[str, ...] = ("customer", "contact")) -> dict[str, int]:
    """The record ids a form was opened for (`?customer=42&contact=7`), as its initial values."""
    return {name: int(value) for name in names if (value := request.GET.get(name, "")).isdigit()}
