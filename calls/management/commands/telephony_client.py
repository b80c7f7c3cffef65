"""Set or remove a telephony API client's signing secret (docs/telephony.md, "Signatures")."""

from django.core.management.base import BaseCommand, CommandError

from calls.services.telephony_clients import telephony_secret_remove, telephony_secret_rotate
from staff.models import User
from staff.services import UnknownRole


class Command(BaseCommand):
    help = "Telephony clients' request signing: secret EMAIL (set or replace, printed once) | unsign EMAIL"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        secret = sub.add_parser("secret", help="Set or replace the client's signing secret (printed once).")
        secret.add_argument("email")
        unsign = sub.add_parser("unsign", help="Remove the client's signing secret: the token alone is enough.")
        unsign.add_argument("email")

    def handle(self, *args, action: str, email: str, **options):
        email = email.lower()
        client = User.objects.filter(email=email).first()
        if client is None:
            raise CommandError(f"No user {email}.")
        if action == "secret":
            try:
                secret = telephony_secret_rotate(client_user=client)
            except UnknownRole as error:
                raise CommandError(f"{error}: signing secrets are only for users in the API client role.") from error
            self.stdout.write(
                f"Signing secret for {client.email} (shown once, store it now; from now on every events request "
                f"must carry X-Tawasul-Signature: sha256=<hex HMAC-SHA256 of the body>):\n{secret}"
            )
        elif telephony_secret_remove(client_user=client):
            self.stdout.write(f"Removed the signing secret of {client.email}: its token alone is enough again.")
        else:
            self.stdout.write(f"{client.email} has no signing secret; nothing changed.")
