"""Builders for the KPI tests: contacts with exact times, and agents' state timelines."""

from datetime import datetime, timedelta

from calls.models import AgentStateChange, Contact, ContactChannel, ContactState, StateSource

TELEPHONY = "test-pbx"  # the provider of the calls a telephony platform reported


def call(
    queue,
    offered_at: datetime,
    *,
    wait: int,
    talk: int = 0,
    hold: int = 0,
    wrap: int = 0,
    abandoned: bool = False,
    short: bool = False,
    provider: str = TELEPHONY,
    **fields,
) -> Contact:
    """An inbound call offered at `offered_at` that waited `wait` seconds, then was answered (and
    ended after hold + talk, the platform saying its wrap-up ended `wrap` seconds later) or abandoned
    (`short`: within the short-abandon threshold). Reported by a telephony platform unless
    `provider=""`: logged by hand at the desk."""
    fields["provider"] = provider
    if abandoned:
        return Contact.objects.create(
            queue=queue,
            offered_at=offered_at,
            ended_at=offered_at + timedelta(seconds=wait),
            wait_seconds=wait,
            is_abandoned=True,
            is_short_abandon=short,
            state=ContactState.ABANDONED,
            **fields,
        )
    answered_at = offered_at + timedelta(seconds=wait)
    ended_at = answered_at + timedelta(seconds=talk + hold)
    fields.setdefault("wrap_up_ended_at", ended_at + timedelta(seconds=wrap))
    return Contact.objects.create(
        queue=queue,
        offered_at=offered_at,
        answered_at=answered_at,
        ended_at=ended_at,
        wait_seconds=wait,
        talk_seconds=talk,
        hold_seconds=hold,
        wrap_up_seconds=wrap,
        state=ContactState.CLOSED,
        **fields,
    )


def email(customer, received_at: datetime) -> Contact:
    """An inbound email from a member: a contact on another channel (counts as a repeat contact)."""
    return Contact.objects.create(
        channel=ContactChannel.EMAIL, customer=customer, offered_at=received_at, state=ContactState.CLOSED
    )


def timeline(user, *entries: tuple[datetime, str]) -> None:
    """An agent's state changes, each (from, state)."""
    AgentStateChange.objects.bulk_create(
        AgentStateChange(user=user, started_at=at, state=state, source=StateSource.AGENT) for at, state in entries
    )
