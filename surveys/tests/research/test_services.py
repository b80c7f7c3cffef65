"""Writes for research: themes, focus-group participants (the consent rule) and findings, coding
comments; each audited."""

from datetime import date

import pytest

from claims.tests.factories import CustomerFactory
from contactcentre.exceptions import DomainError
from contactcentre.models import AuditAction, AuditEvent
from surveys.models import CommentCode, FindingTheme, FocusGroup, Participant, Theme
from surveys.services import research as services

from .conftest import local, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def focus_group(lab):
    return services.focus_group_create(
        actor=lab.manager,
        kind="focus_group",
        title="Claims letters",
        held_on=date(2026, 2, 10),
        facilitator=lab.manager,
    )


@pytest.fixture
def comment(lab):
    answer, _ = respond(lab, agent=lab.agent, when=local(2026, 2, 1, 10), csat=2, nps=4, comment="Kept on hold.")
    return answer


# Themes -------------------------------------------------------------------------------------------------


def test_a_theme_keeps_one_keyword_per_line_without_blanks_or_repeats(lab):
    theme = services.theme_create(
        actor=lab.manager, code="pharmacy", name="Pharmacy", keywords="  pharmacy \n\nPrescription, pharmacy\nصيدلية"
    )
    assert theme.keywords == "pharmacy\nPrescription\nصيدلية"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="surveys.theme", object_id=str(theme.pk))


def test_a_second_theme_with_the_same_code_is_a_field_error(lab):
    with pytest.raises(DomainError) as error:
        services.theme_create(actor=lab.manager, code="waiting", name="Again")
    assert "code" in error.value.fields
    with pytest.raises(DomainError) as error:
        services.theme_update(actor=lab.manager, theme_id=lab.billing.pk, code="waiting")
    assert "code" in error.value.fields
    assert Theme.objects.get(pk=lab.billing.pk).code == "billing"


def test_changing_a_theme_saves_only_what_changed_and_audits_it(lab):
    services.theme_update(
        actor=lab.manager, theme_id=lab.letters.pk, complaint_category="communication", name="Letters"
    )
    lab.letters.refresh_from_db()
    assert lab.letters.complaint_category == "communication"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(lab.letters.pk))
    assert event.detail["changed"] == ["complaint_category"]


# Focus groups -------------------------------------------------------------------------------------------


def test_a_member_who_consents_to_research_is_added_once(lab, focus_group):
    member = CustomerFactory(consent_research=True)
    participant = services.participant_add(
        actor=lab.manager, focus_group=focus_group, membership_number=member.membership_number
    )
    assert participant.customer == member and participant.attended
    with pytest.raises(DomainError) as error:
        services.participant_add(actor=lab.manager, focus_group=focus_group, membership_number=member.membership_number)
    assert error.value.fields == {"membership_number": ["This member is already a participant."]}
    assert Participant.objects.count() == 1


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        ({"consent_research": False}, "has not consented to surveys and research"),
        ({"consent_research": True, "status": "deceased"}, "recorded as deceased"),
        (None, "No member has this membership number"),
    ],
)
def test_a_member_who_may_not_take_part_is_refused_with_the_reason(lab, focus_group, member, reason):
    number = CustomerFactory(**member).membership_number if member else "999999999"
    with pytest.raises(DomainError) as error:
        services.participant_add(actor=lab.manager, focus_group=focus_group, membership_number=number)
    assert reason in error.value.fields["membership_number"][0]
    assert not Participant.objects.exists()


def test_attendance_and_removal_are_recorded_and_audited(lab, focus_group):
    member = CustomerFactory(consent_research=True)
    participant = services.participant_add(
        actor=lab.manager, focus_group=focus_group, membership_number=member.membership_number
    )
    services.participant_mark_attended(
        actor=lab.manager, focus_group=focus_group, participant_id=participant.pk, attended=False
    )
    assert Participant.objects.get().attended is False
    services.participant_remove(actor=lab.manager, focus_group=focus_group, participant_id=participant.pk)
    assert not Participant.objects.exists()
    summaries = list(
        AuditEvent.objects.filter(object_type="surveys.participant").order_by("pk").values_list("summary", flat=True)
    )
    assert summaries == ["Focus group participant added", "Attendance recorded", "Participant removed"]


def test_a_participant_of_another_session_cannot_be_removed_through_this_one(lab, focus_group):
    other = FocusGroup.objects.create(
        title="Other", held_on=date(2026, 3, 1), facilitator=lab.manager, created_by=lab.manager
    )
    member = CustomerFactory(consent_research=True)
    participant = services.participant_add(
        actor=lab.manager, focus_group=other, membership_number=member.membership_number
    )
    with pytest.raises(DomainError):
        services.participant_remove(actor=lab.manager, focus_group=focus_group, participant_id=participant.pk)
    assert Participant.objects.filter(pk=participant.pk).exists()


def test_reading_the_participants_is_audited_naming_the_members(lab, focus_group):
    member = CustomerFactory(consent_research=True)
    services.participant_add(actor=lab.manager, focus_group=focus_group, membership_number=member.membership_number)
    services.participants_viewed(actor=lab.manager, focus_group=focus_group, ip_address="10.0.0.1")
    event = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert (event.object_id, event.detail["customers"], event.ip_address) == (
        str(focus_group.pk),
        [member.pk],
        "10.0.0.1",
    )


def test_a_finding_needs_what_was_said_and_is_recorded_once_per_theme(lab, focus_group):
    with pytest.raises(DomainError) as error:
        services.finding_add(actor=lab.manager, focus_group=focus_group, theme=lab.waiting, evidence="  ")
    assert "evidence" in error.value.fields
    services.finding_add(actor=lab.manager, focus_group=focus_group, theme=lab.waiting, evidence="Long holds.")
    with pytest.raises(DomainError) as error:
        services.finding_add(actor=lab.manager, focus_group=focus_group, theme=lab.waiting, evidence="Again.")
    assert "theme" in error.value.fields
    assert list(FindingTheme.objects.values_list("evidence", flat=True)) == ["Long holds."]


# Comment coding -----------------------------------------------------------------------------------------


def test_coding_a_comment_twice_to_a_theme_keeps_one_code_and_one_audit_row(lab, comment):
    first, created = services.comment_code_add(actor=lab.leader, answer=comment, theme=lab.waiting)
    again, created_again = services.comment_code_add(actor=lab.manager, answer=comment, theme=lab.waiting)
    assert (created, created_again, again.pk, again.coded_by) == (True, False, first.pk, lab.leader)
    assert AuditEvent.objects.filter(object_type="surveys.commentcode", action=AuditAction.CREATE).count() == 1


def test_removing_a_code_takes_it_off_and_removing_it_again_changes_nothing(lab, comment):
    services.comment_code_add(actor=lab.leader, answer=comment, theme=lab.waiting)
    services.comment_code_add(actor=lab.leader, answer=comment, theme=lab.billing)
    assert services.comment_code_remove(actor=lab.leader, answer=comment, theme=lab.waiting) is True
    assert services.comment_code_remove(actor=lab.leader, answer=comment, theme=lab.waiting) is False
    assert list(CommentCode.objects.values_list("theme__code", flat=True)) == ["billing"]
    assert AuditEvent.objects.filter(object_type="surveys.commentcode", action=AuditAction.DELETE).count() == 1


def test_an_inactive_theme_cannot_be_applied(lab, comment):
    lab.letters.is_active = False
    lab.letters.save(update_fields=["is_active"])
    with pytest.raises(DomainError) as error:
        services.comment_code_add(actor=lab.leader, answer=comment, theme=lab.letters)
    assert "theme" in error.value.fields
    assert not CommentCode.objects.exists()
