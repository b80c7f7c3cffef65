from django import template

from staff.roles import Role

register = template.Library()


@register.filter
def role_labels(user) -> str:
    """The person's roles in the reader's language (uses prefetched groups)."""
    return ", ".join(str(Role(g.name).label) for g in user.groups.all() if g.name in Role.values)
