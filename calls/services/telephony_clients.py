"""Telephony API clients' signing secrets: set (or replace) one, which makes every events request
from that client need `X-Tawasul-Signature`, and remove it. The secret is returned once and never
written to the audit trail."""

import secrets

from django.db import transaction

from contactcentre.models import AuditAction
from contactcentre.services import audit_record
from staff.models import User
from staff.roles import Role
from staff.services import UnknownRole

from ..models import TelephonyClient
from ..selectors.telephony import signing_secrets


def telephony_secret_rotate(*, client_user: User, actor: User | None = None) -> str:
    """Give an API client a new signing secret, replacing any it had (requests signed with the old
    one are refused from now on). Returns the secret: show it once, it is not shown again."""
    if not client_user.groups.filter(name=Role.API_CLIENT).exists():
        raise UnknownRole(f"{client_user.email} is not an API client")
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        _client, created = TelephonyClient.objects.update_or_create(
            user=client_user, defaults={"signing_secret": secret}
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=client_user,
            summary="telephony signing secret set" if created else "telephony signing secret replaced",
            detail={"signing_secret": "set" if created else "replaced"},
        )
    signing_secrets.clear()  # this process at once; other API processes within API_TOKEN_CACHE_SECONDS
    return secret


def telephony_secret_remove(*, client_user: User, actor: User | None = None) -> bool:
    """Stop requiring signatures from this client (its token alone is enough again). Returns
    whether it had a secret; removing none changes and audits nothing."""
    with transaction.atomic():
        removed = TelephonyClient.objects.filter(user=client_user).exclude(signing_secret="").update(signing_secret="")
        if removed:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=client_user,
                summary="telephony signing secret removed",
                detail={"signing_secret": "removed"},
            )
    signing_secrets.clear()
    return bool(removed)
