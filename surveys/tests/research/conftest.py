"""A small contact centre for the research tests, and a fixed body of evidence with hand-computed
figures.

People: one site; team Cover (led by `leader`, agent `agent`) and team Claims (led by
`other_leader`, agent `stranger`); a manager. Themes: waiting (complaint category "service"),
billing ("billing") and letters (no category). The survey is the post-contact one with a second
free-text question, "improve", so that one response can have two comments coded to one theme.

`evidence` (period 1 January - 31 March 2026):
  response  team    submitted   CSAT NPS  codes
  r1        Cover   2026-02-01   5   10   comment: waiting
  r2        Cover   2026-02-02   2    3   comment: waiting; improve: waiting, billing
  r3        Cover   2026-02-03   4    8   comment: billing
  r4        Claims  2026-02-04   1    0   comment: waiting
  r5        Cover   2025-12-15   5   10   comment: waiting (before the period)
  r6        Cover   2026-02-05   3    9   comment: not coded
  complaints: service 10 Jan, 5 Feb, 31 Mar 23:30 (in); 31 Dec 23:59, 1 Apr 00:30 (out);
              billing 20 Feb; clinical advice 2 Feb (no theme)
  sessions:   10 Feb 2026 (waiting, billing), 15 Mar 2026 (waiting), 20 Nov 2025 (letters, out)
A manager reads: waiting 3 complaints, 4 comments (r1, r2 twice, r4), 2 findings = 9; its
responses r1, r2, r4: mean CSAT (5+2+1)/3 = 2.67, 1 of 3 satisfied; NPS 1 promoter, 2 detractors
of 3 = -33. billing 1 complaint, 2 comments (r2, r3), 1 finding = 4; CSAT (2+4)/2 = 3.00, NPS
0 promoters, 1 detractor of 2 = -50. letters: nothing.
Cover's leader reads waiting's comments as r1, r2 twice = 3, CSAT (5+2)/2 = 3.50, NPS 1-1 of 2 = 0."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from calls.tests.factories import ComplaintFactory
from staff.roles import Role
from staff.tests.factories import SiteFactory, TeamFactory
from surveys.models import Answer, FindingTheme, FocusGroup, QuestionKind
from surveys.services.definitions import QuestionSpec, post_contact_questions
from surveys.services.research import comment_code_add
from surveys.services.responses import response_submit
from surveys.tests.factories import ThemeFactory, handled_contact, make_survey

START, END = date(2026, 1, 1), date(2026, 3, 31)


def local(*parts) -> datetime:
    return timezone.make_aware(datetime(*parts))


@pytest.fixture
def lab(user_factory):
    staines = SiteFactory(code="staines")
    leader = user_factory(role=Role.TEAM_LEADER, site=staines, full_name="Tom Leader")
    other_leader = user_factory(role=Role.TEAM_LEADER, site=staines, full_name="Olivia Leader")
    team = TeamFactory(site=staines, leader=leader, name="Cover")
    other_team = TeamFactory(site=staines, leader=other_leader, name="Claims")
    questions = [
        *post_contact_questions(),
        QuestionSpec(code="improve", kind=QuestionKind.FREE_TEXT, text="What could we do better?", required=False),
    ]
    return SimpleNamespace(
        staines=staines,
        leader=leader,
        other_leader=other_leader,
        team=team,
        other_team=other_team,
        agent=user_factory(role=Role.AGENT, site=staines, team=team, full_name="Amira Agent"),
        stranger=user_factory(role=Role.AGENT, site=staines, team=other_team, full_name="Cara Agent"),
        manager=user_factory(role=Role.MANAGER, site=staines, full_name="Maya Manager"),
        survey=make_survey(code="after-calls", questions=questions),
        waiting=ThemeFactory(
            code="waiting",
            name="Waiting times",
            name_ar="أوقات الانتظار",
            complaint_category="service",
            keywords="wait\nhold\nانتظار",
            position=1,
        ),
        billing=ThemeFactory(
            code="billing",
            name="Billing",
            name_ar="الفواتير",
            complaint_category="billing",
            keywords="premium\nbill\nفاتورة",
            position=2,
        ),
        letters=ThemeFactory(code="letters", name="Letters", keywords="letter", position=3),
    )


def respond(lab, *, agent, when: datetime, csat: int, nps: int, comment: str, improve: str = ""):
    """A response to the lab's survey about a call `agent` handled; (comment answer, improve answer or None)."""
    values = {"csat": csat, "ces": 5, "nps": nps, "comment": comment} | ({"improve": improve} if improve else {})
    contact = handled_contact(agent=agent, team=agent.team)
    response, _ = response_submit(survey=lab.survey, values=values, source="api", contact=contact, submitted_at=when)
    answers = {a.question.code: a for a in Answer.objects.filter(response=response).select_related("question")}
    return answers["comment"], answers.get("improve")


def code(answer, *themes, by):
    for theme in themes:
        comment_code_add(actor=by, answer=answer, theme=theme)


def session(lab, held_on: date, **themes_said) -> FocusGroup:
    focus_group = FocusGroup.objects.create(
        title=f"Session {held_on:%d %b}", held_on=held_on, facilitator=lab.manager, created_by=lab.manager
    )
    for code_name, said in themes_said.items():
        FindingTheme.objects.create(
            focus_group=focus_group, theme=getattr(lab, code_name), evidence=said, coded_by=lab.manager
        )
    return focus_group


@pytest.fixture
def evidence(lab):
    by = lab.manager
    r1, _ = respond(lab, agent=lab.agent, when=local(2026, 2, 1, 10), csat=5, nps=10, comment="Long wait on hold.")
    r2, r2_improve = respond(
        lab, agent=lab.agent, when=local(2026, 2, 2, 10), csat=2, nps=3, comment="Waited forever.",
        improve="Answer faster and fix my bill.",
    )  # fmt: skip
    r3, _ = respond(lab, agent=lab.agent, when=local(2026, 2, 3, 10), csat=4, nps=8, comment="Premium went up.")
    r4, _ = respond(lab, agent=lab.stranger, when=local(2026, 2, 4, 10), csat=1, nps=0, comment="On hold an hour.")
    r5, _ = respond(lab, agent=lab.agent, when=local(2025, 12, 15, 10), csat=5, nps=10, comment="Short hold.")
    r6, _ = respond(lab, agent=lab.agent, when=local(2026, 2, 5, 10), csat=3, nps=9, comment="Nice.")
    code(r1, lab.waiting, by=by)
    code(r2, lab.waiting, by=by)
    code(r2_improve, lab.waiting, lab.billing, by=by)
    code(r3, lab.billing, by=by)
    code(r4, lab.waiting, by=by)
    code(r5, lab.waiting, by=by)
    for received in (local(2026, 1, 10, 9), local(2026, 2, 5, 9), local(2026, 3, 31, 23, 30)):
        ComplaintFactory(category="service", received_at=received)
    for received in (local(2025, 12, 31, 23, 59), local(2026, 4, 1, 0, 30)):
        ComplaintFactory(category="service", received_at=received)
    ComplaintFactory(category="billing", received_at=local(2026, 2, 20, 9))
    ComplaintFactory(category="clinical_advice", received_at=local(2026, 2, 2, 9))
    session(lab, date(2026, 2, 10), waiting="Everyone had waited on hold.", billing="Premium letters confuse people.")
    session(lab, date(2026, 3, 15), waiting="Callbacks never came.")
    session(lab, date(2025, 11, 20), letters="Letters arrive late.")
    return SimpleNamespace(r1=r1, r2=r2, r2_improve=r2_improve, r3=r3, r4=r4, r5=r5, r6=r6)
