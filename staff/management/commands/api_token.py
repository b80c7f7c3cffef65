"""Issue, list and revoke API tokens for machine clients (telephony platforms)."""

from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken

from staff.models import User
from staff.roles import Role
from staff.services import UnknownRole, api_token_create, api_token_revoke, user_create


class Command(BaseCommand):
    help = "Manage API tokens: create EMAIL [--new-client NAME] | list | revoke TOKEN_KEY"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a token to an API client (printed once).")
        create.add_argument("email")
        create.add_argument("--new-client", metavar="NAME", help="Create the API client account first.")
        sub.add_parser("list", help="List tokens by their public key.")
        revoke = sub.add_parser("revoke", help="Revoke a token by its public key (first 15 characters).")
        revoke.add_argument("token_key")

    def handle(self, *args, action: str, **options):
        if action == "create":
            email = options["email"].lower()
            if options["new_client"]:
                if User.objects.filter(email=email).exists():
                    raise CommandError(f"{email} already exists.")
                client = user_create(email=email, full_name=options["new_client"], role=Role.API_CLIENT)
            else:
                client = User.objects.filter(email=email).first()
                if client is None:
                    raise CommandError(f"No user {email}; pass --new-client NAME to create the API client.")
            try:
                issued = api_token_create(client=client)
            except UnknownRole as error:
                raise CommandError(f"{error}: tokens are only for users in the API client role.") from error
            self.stdout.write(f"Token for {client.email} (shown once, store it now):\n{issued.clear_token}")
        elif action == "list":
            for token in AuthToken.objects.select_related("user").order_by("user__email", "created"):
                self.stdout.write(f"{token.token_key}  {token.user.email:<32} created {token.created:%Y-%m-%d %H:%M}")
        elif action == "revoke":
            if not api_token_revoke(token_key=options["token_key"]):
                raise CommandError(f"No token with key {options['token_key']}.")
            self.stdout.write(f"Revoked {options['token_key']}.")
