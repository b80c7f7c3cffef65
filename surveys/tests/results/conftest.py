"""A fixed set of responses for the results tests, with every figure worked out by hand in the tests.

Two sites, three teams, four agents, two queues; ten post-contact responses in the fortnight
Monday 2 March - Sunday 15 March 2026, and others just outside it or to another kind of survey:

  #   agent  team    site        queue    tier       corporate  date   CSAT NPS CES  comment
  1   amira  cover   staines     general  premier    yes        02/03  5    10  7    "Quick and kind."
  2   amira  cover   staines     general  premier    yes        03/03  4    9   5
  3   amira  cover   staines     claims   standard   no         04/03  3    8   4    "Fine, but a long wait."
  4   amira  cover   staines     claims   standard   no         10/03  2    6   2    "Cut off twice, nobody rang back."
  5   ben    cover   staines     general  essential  no         10/03  1    0   1    "Rude and slow."
  6   ben    cover   staines     general  (none)     (unknown)  11/03  5    7   -
  7   cara   claims  staines     claims   standard   yes        05/03  4    10  6    "Sorted my claim in one call"
  8   cara   claims  staines     claims   premier    no         12/03  5    9   3
  9   dan    north   manchester  general  essential  no         13/03  2    3   2    "Waited forty minutes."
  10  dan    north   manchester  general  standard   yes        15/03 23:30  4  -  5
  outside: 01/03 23:50 (cover) and 16/03 00:10 (north), each CSAT 1 NPS 0; and a questionnaire
  (not a post-contact survey) answered by amira on 05/03, CSAT 1 NPS 0 CES 1.

Invitations sent in the fortnight: four for cover's contacts (three answered), one for claims' (not
answered); one sent before it (answered) and one never sent. Follow-ups opened in the fortnight:
#4 (closed by its due time), #5 (closed after it), #9 (open, past its due time); one opened on 16/03."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from calls.tests.factories import ContactFactory, QueueFactory
from staff.roles import Role
from staff.tests.factories import SiteFactory, TeamFactory
from surveys.models import Answer, Invitation, LoopFollowUp, LoopStatus, Response, ResponseSource, SurveyKind
from surveys.tests.factories import make_survey

START, END = date(2026, 3, 2), date(2026, 3, 15)


def at(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> datetime:
    return timezone.make_aware(datetime(2026, month, day, hour, minute))


@dataclass
class Row:
    agent: str
    queue: str
    tier: str
    corporate: bool | None
    when: datetime
    csat: int | None
    nps: int | None
    ces: int | None
    comment: str = ""


ROWS = [
    Row("amira", "general", "premier", True, at(2), 5, 10, 7, "Quick and kind."),
    Row("amira", "general", "premier", True, at(3), 4, 9, 5),
    Row("amira", "claims", "standard", False, at(4), 3, 8, 4, "Fine, but a long wait."),
    Row("amira", "claims", "standard", False, at(10), 2, 6, 2, "Cut off twice, nobody rang back."),
    Row("ben", "general", "essential", False, at(10, 11), 1, 0, 1, "Rude and slow."),
    Row("ben", "general", "", None, at(11), 5, 7, None),
    Row("cara", "claims", "standard", True, at(5), 4, 10, 6, "Sorted my claim in one call"),
    Row("cara", "claims", "premier", False, at(12), 5, 9, 3),
    Row("dan", "general", "essential", False, at(13), 2, 3, 2, "Waited forty minutes."),
    Row("dan", "general", "standard", True, at(15, 23, 30), 4, None, 5),
]


def respond(survey, *, agent, queue, when, csat, nps, ces, tier="", corporate=None, comment="", contact=None):
    """A response as response_submit stores it (segment and headline scores), with its answers."""
    response = Response.objects.create(
        survey=survey,
        version=survey.current_version,
        source=ResponseSource.API,
        contact=contact,
        customer=contact.customer if contact else None,
        submitted_at=when,
        agent=agent,
        team=agent.team,
        queue=queue,
        site=agent.site,
        plan_tier=tier,
        is_corporate=corporate,
        csat=csat,
        nps=nps,
        ces=ces,
    )
    questions = {q.code: q for q in survey.current_version.questions.all()}
    values = {"csat": csat, "nps": nps, "ces": ces}
    Answer.objects.bulk_create(
        [Answer(response=response, question=questions[code], number=v) for code, v in values.items() if v is not None]
        + ([Answer(response=response, question=questions["comment"], text=comment)] if comment else [])
    )
    return response


@pytest.fixture
def centre(user_factory):
    staines, manchester = SiteFactory(code="staines", name="Staines"), SiteFactory(code="manchester", name="Manchester")
    leaders = {
        name: user_factory(role=Role.TEAM_LEADER, site=site, full_name=f"{name.title()} Leader")
        for name, site in (("cover", staines), ("claims", staines), ("north", manchester))
    }
    teams = {
        "cover": TeamFactory(site=staines, leader=leaders["cover"], name="Cover", name_ar="التغطية"),
        "claims": TeamFactory(site=staines, leader=leaders["claims"], name="Claims"),
        "north": TeamFactory(site=manchester, leader=leaders["north"], name="North"),
    }
    for name, leader in leaders.items():
        leader.team = teams[name]
        leader.save(update_fields=["team"])
    agents = {
        name: user_factory(role=Role.AGENT, site=teams[team].site, team=teams[team], full_name=f"{name.title()} Agent")
        for name, team in (("amira", "cover"), ("ben", "cover"), ("cara", "claims"), ("dan", "north"))
    }
    queues = {name: QueueFactory(code=name, name=f"{name.title()} line") for name in ("general", "claims")}
    survey = make_survey(code="after-call", name="After your call")
    responses = [
        respond(
            survey,
            agent=agents[row.agent],
            queue=queues[row.queue],
            when=row.when,
            csat=row.csat,
            nps=row.nps,
            ces=row.ces,
            tier=row.tier,
            corporate=row.corporate,
            comment=row.comment,
            contact=ContactFactory(agent=agents[row.agent], queue=queues[row.queue], site=agents[row.agent].site),
        )
        for row in ROWS
    ]
    # Just outside the fortnight, and a questionnaire that is not a post-contact survey.
    before = respond(survey, agent=agents["amira"], queue=queues["general"], when=at(1, 23, 50), csat=1, nps=0, ces=1)
    after = respond(survey, agent=agents["dan"], queue=queues["general"], when=at(16, 0, 10), csat=1, nps=0, ces=1)
    questionnaire = make_survey(SurveyKind.GENERAL, code="general-questions", name="Questionnaire")
    respond(questionnaire, agent=agents["amira"], queue=queues["general"], when=at(5), csat=1, nps=0, ces=1)
    _invitations(survey, agents)
    _loops(responses, after)
    return SimpleNamespace(
        staines=staines,
        manchester=manchester,
        teams=teams,
        leaders=leaders,
        agents=agents,
        queues=queues,
        survey=survey,
        questionnaire=questionnaire,
        responses=responses,
        before=before,
        after=after,
        manager=user_factory(role=Role.MANAGER, site=staines, full_name="Maya Manager"),
        agent_user=agents["amira"],
    )


def _invitations(survey, agents):
    def invite(agent, *, sent, answered=None):
        contact = ContactFactory(agent=agent, site=agent.site)
        invitation = Invitation.objects.create(
            survey=survey,
            customer=contact.customer,
            contact=contact,
            channel="email",
            language="en",
            token_hash=f"{contact.pk:064d}",
            expires_at=timezone.now() + timedelta(days=7),
        )
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=sent, answered_at=answered)

    for day, answered in ((2, True), (4, True), (9, True), (14, False)):
        invite(agents["amira" if day < 9 else "ben"], sent=at(day, 9), answered=at(day, 12) if answered else None)
    invite(agents["cara"], sent=at(6, 9))
    invite(agents["amira"], sent=at(1, 9), answered=at(2, 9))  # before the fortnight
    invite(agents["amira"], sent=None)  # never sent


def _loops(responses, after):
    def loop(response, *, created, due, closed=None):
        follow_up = LoopFollowUp.objects.create(
            response=response,
            trigger="detractor",
            team=response.team,
            owner_id=response.team.leader_id,
            due_at=due,
            status=LoopStatus.CLOSED if closed else LoopStatus.OPEN,
            outcome="resolved" if closed else "",
            closed_at=closed,
        )
        LoopFollowUp.objects.filter(pk=follow_up.pk).update(created_at=created)
        return follow_up

    loop(responses[3], created=at(10), due=at(11, 17, 30), closed=at(11, 9))  # on time
    loop(responses[4], created=at(10, 11), due=at(11, 17, 30), closed=at(12, 9))  # late
    loop(responses[8], created=at(13), due=at(16, 17, 30))  # open, past due (it is later than March 2026)
    loop(after, created=at(16, 0, 10), due=at(17, 17, 30))  # after the fortnight
