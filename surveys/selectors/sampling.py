"""Which post-contact survey follows a contact: the active sampling rule of its queue, else the
default rule (no queue). The sweep and the SMS/IVR webhook both choose this way."""

from calls.models import Contact

from ..models import SamplingRule, Survey


def active_rules() -> dict[int | None, SamplingRule]:
    """The active rules whose survey is active, by queue id (None: the default rule)."""
    rules = SamplingRule.objects.filter(is_active=True, survey__is_active=True).select_related(
        "survey__current_version"
    )
    return {rule.queue_id: rule for rule in rules}


def rule_for(queue_id: int | None, rules: dict[int | None, SamplingRule]) -> SamplingRule | None:
    return rules.get(queue_id) or rules.get(None)


def post_contact_survey_for(contact: Contact) -> Survey | None:
    rule = rule_for(contact.queue_id, active_rules())
    return rule.survey if rule else None
