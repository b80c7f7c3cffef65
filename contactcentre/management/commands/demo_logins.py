"""Print the demo accounts that exist in this database (for `make run`)."""

from django.core.management.base import BaseCommand

from staff.demo import DEMO_DOMAIN, DEMO_LOGINS
from staff.models import User
from staff.roles import Role


class Command(BaseCommand):
    help = "List the demo logins present in the database."

    def handle(self, *args, **options):
        present = set(User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").values_list("email", flat=True))
        rows = [
            (Role(role).label, f"{local}@{DEMO_DOMAIN}", password)
            for role, local, _name, _ar, _lang, password in DEMO_LOGINS
            if password
        ]
        rows = [row for row in rows if row[1] in present]
        if not rows:
            self.stdout.write("No demo accounts in this database.")
            return
        self.stdout.write("Demo logins (email / password):")
        for label, email, password in rows:
            self.stdout.write(f"  {label!s:<16} {email:<28} {password}")
