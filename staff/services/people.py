"""Writes for people and access: role groups, user accounts, API clients and their tokens."""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from knox.models import AuthToken

from contactcentre.api import recent_tokens
from contactcentre.models import AuditAction
from contactcentre.services import audit_record

from ..auth import permissions_forget
from ..models import Language, Site, Team, User
from ..roles import ROLE_PERMISSIONS, Role


class UnknownRole(ValueError):
    pass


def roles_sync(*, using: str = "default") -> dict[str, int]:
    """Give every role's group exactly the permissions staff/roles.py declares. Idempotent."""
    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    by_name: dict[str, Permission] = {}
    for perm in Permission.objects.using(using).select_related("content_type"):
        name = f"{perm.content_type.app_label}.{perm.codename}"
        if name in wanted:
            by_name[name] = perm
    missing = wanted - by_name.keys()
    if missing:
        raise LookupError(f"Permissions named in staff/roles.py do not exist: {sorted(missing)}")
    counts = {}
    with transaction.atomic(using=using):
        for role, perms in ROLE_PERMISSIONS.items():
            group, _ = Group.objects.using(using).get_or_create(name=role)
            group.permissions.set([by_name[p] for p in perms])
            counts[str(role)] = len(perms)
    permissions_forget()
    return counts


def user_create(
    *,
    email: str,
    full_name: str,
    role: str,
    password: str | None = None,
    site: Site | None = None,
    team: Team | None = None,
    full_name_ar: str = "",
    preferred_language: str = "en",
) -> User:
    """Create a person's account in one role. An API client gets no password: it cannot log in."""
    if role not in Role.values:
        raise UnknownRole(role)
    if role == Role.API_CLIENT:
        password = None
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            password=password,
            full_name=full_name,
            full_name_ar=full_name_ar,
            preferred_language=preferred_language,
            site=site or (team.site if team else None),
            team=team,
            is_staff=role == Role.ADMINISTRATOR,
        )
        user.groups.add(Group.objects.get(name=role))
    return user


@dataclass(frozen=True)
class IssuedToken:
    token_key: str
    clear_token: str  # shown once; only its digest is stored


def api_token_create(*, client: User, actor: User | None = None, ip_address: str | None = None) -> IssuedToken:
    """Issue a token to an API client. The clear token is returned once; the database keeps a digest."""
    if not client.groups.filter(name=Role.API_CLIENT).exists():
        raise UnknownRole(f"{client.email} is not an API client")
    with transaction.atomic():
        instance, clear = AuthToken.objects.create(user=client)
        audit_record(
            actor=actor,
            action=AuditAction.TOKEN_CREATED,
            obj=client,
            ip_address=ip_address,
            summary=f"token {instance.token_key}",
            detail={"token_key": instance.token_key},
        )
    return IssuedToken(token_key=instance.token_key, clear_token=clear)


def api_token_revoke(*, token_key: str, actor: User | None = None, ip_address: str | None = None) -> int:
    """Revoke a token by its public key (the first characters of the token). Returns how many went."""
    with transaction.atomic():
        tokens = list(AuthToken.objects.select_related("user").filter(token_key=token_key))
        for token in tokens:
            audit_record(
                actor=actor,
                action=AuditAction.TOKEN_REVOKED,
                obj=token.user,
                ip_address=ip_address,
                summary=f"token {token_key}",
                detail={"token_key": token_key},
            )
        deleted, _ = AuthToken.objects.filter(token_key=token_key).delete()
        # This process forgets at once; other API processes within API_TOKEN_CACHE_SECONDS.
        recent_tokens.clear()
        transaction.on_commit(recent_tokens.clear)
    return deleted


def user_language_set(*, user: User, language: str) -> None:
    """Remember the interface language a person chose, so their next login opens in it."""
    if language in Language.values and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
