"""The survey link's token. Each invitation stores a random salt; the link's nonce is an HMAC of that
salt under the installation's secret key, and the link is the nonce, signed. So:
- a forged link is known by its signature, before any database read;
- the database stores only the salt and the nonce's hash: a copy of the database without the secret
  key yields no usable link;
- the sending task needs only the invitation's id (the link is rebuilt from the salt), so a broker
  outage loses nothing: an unsent invitation can be sent again later."""

import base64
import hashlib
import secrets

from django.core import signing
from django.utils.crypto import salted_hmac

_SALT = "surveys.invitation"


def _nonce(salt: str) -> str:
    digest = salted_hmac(f"{_SALT}.nonce", salt, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def token_for(salt: str) -> str:
    """The link's token for an invitation's salt."""
    return signing.Signer(salt=_SALT).sign(_nonce(salt))


def token_new() -> tuple[str, str, str]:
    """(token for the link, hash to store, salt to store)."""
    salt = secrets.token_urlsafe(16)
    return token_for(salt), token_hash(_nonce(salt)), salt


def token_hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def token_nonce(token: str) -> str | None:
    """The nonce of a genuine token, or None for a forged or mangled one."""
    try:
        return signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
