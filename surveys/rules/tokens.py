"""The survey link's token: a random nonce, signed. The signature tells a forged link from a real one
without a database read; only the nonce's hash is stored, so a database leak yields no usable link."""

import hashlib
import secrets

from django.core import signing

_SALT = "surveys.invitation"


def token_new() -> tuple[str, str]:
    """(token for the link, hash to store)."""
    nonce = secrets.token_urlsafe(18)
    return signing.Signer(salt=_SALT).sign(nonce), token_hash(nonce)


def token_hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def token_nonce(token: str) -> str | None:
    """The nonce of a genuine token, or None for a forged or mangled one."""
    try:
        return signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
