from django import template
from django.utils.translation import get_language

from staff.roles import Role

register = template.Library()


@register.filter
def role_labels(user) -> str:
    """The person's roles in the reader's language (uses prefetched groups)."""
    return ", ".join(str(Role(g.name).label) for g in user.groups.all() if g.name in Role.values)


@register.filter
def local_name(obj) -> str:
    """A name in the reader's language, when an Arabic rendering is recorded: a person's full name,
    a site's or team's name, a course's or job's title, a scorecard item's label ("" for nobody: an
    unassigned agent, a contact with no queue)."""
    if obj is None:
        return ""
    arabic = get_language() == "ar"
    for field in ("full_name", "title", "label", "name"):
        if hasattr(obj, field):
            local = getattr(obj, f"{field}_ar", "") if arabic else ""
            return local or getattr(obj, field)
    return str(obj)
