"""Ring an agent's desk in the demo: sends the telephony events of a call (offered, ringing,
answered) for a member's phone number through the same ingestion as the REST API."""

import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from calls.models import AgentStatus, Queue
from calls.rules.telephony import Event
from calls.services.telephony import events_ingest
from calls.services.telephony_fold import contacts_fold_pending
from customers.models import CustomerPhone
from customers.rules import normalise_phone


class Command(BaseCommand):
    help = "Send a demo call to an agent's desk (offered, ringing, answered; --end to end it too)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--agent", default="agent@tawasul.demo", help="The agent's email (default: the demo agent)."
        )
        parser.add_argument("--number", default="", help="The caller's number (default: a demo member's).")
        parser.add_argument("--queue", default="claims")
        parser.add_argument("--end", action="store_true", help="End the call as well (the desk moves to wrap-up).")

    def handle(self, *args, agent: str, number: str, queue: str, end: bool, **options):
        status = AgentStatus.objects.filter(user__email=agent).first()
        if status is None or not status.extension:
            raise CommandError(f"{agent} has no telephony extension (run seed_demo first).")
        if not Queue.objects.filter(code=queue).exists():
            raise CommandError(f"No queue {queue!r}.")
        if not number:
            phone = CustomerPhone.objects.filter(is_primary=True).order_by("pk").first()
            if phone is None:
                raise CommandError("No member has a phone number (run seed_demo first).")
            number = str(phone.number)
        number = normalise_phone(number) or number
        call_id = f"demo-call-{uuid.uuid4().hex[:8]}"
        now = timezone.now()
        kinds = [
            ("offered", 12, {"queue": queue, "caller_number": number}),
            ("ringing", 4, {"agent": status.extension}),
        ]
        kinds.append(("answered", 0, {"agent": status.extension}))
        events = [
            Event(kind, "demo", f"{call_id}-{kind}", call_id, now - timedelta(seconds=ago), **fields)
            for kind, ago, fields in kinds
        ]
        if end:
            events.append(
                Event("ended", "demo", f"{call_id}-ended", call_id, now + timedelta(seconds=1), cause="caller")
            )
        results = events_ingest(list(enumerate(events)))
        contacts_fold_pending()  # at once, whether or not a worker is running
        self.stdout.write(f"Call {call_id} from {number} to {agent} (contact {results[0].contact_id}).")
