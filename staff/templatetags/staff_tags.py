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
    """A site's or person's name in the reader's language, when an Arabic rendering is recorded
    ("" for nobody: an unassigned agent, a contact with no queue)."""
    if obj is None:
        return ""
    arabic = get_language() == "ar"
    if hasattr(obj, "full_name"):
        return obj.full_name_ar if arabic and obj.full_name_ar else obj.full_name
    return getattr(obj, "name_ar", "") if arabic and getattr(obj, "name_ar", "") else obj.name
