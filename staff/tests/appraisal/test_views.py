"""The appraisal pages: who may read an appraisal (and that nobody else is told it exists), the forms
keeping what was typed, refusals shown to the user, feedback and the board's summary with the
threshold, the CSV, and the query counts of every list and detail page."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from contactcentre.models import AuditAction, AuditEvent
from staff.models import AppraisalStatus, FeedbackSubject, UpwardFeedback
from staff.roles import Role
from staff.services import appraisal as services
from staff.services.feedback import upward_feedback_give
from staff.tests.factories import SiteFactory, TeamFactory, UserFactory

from .factories import AppraisalCycleFactory, AppraisalFactory, appraisal_setup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def scene():
    return appraisal_setup()


def page_url(scene) -> str:
    return reverse("staff:appraisal", args=[scene.appraisal.pk])


def action_url(scene, action) -> str:
    return reverse("staff:appraisal-action", args=[scene.appraisal.pk, action])


# --- Who may read an appraisal --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("appraisee", 200),
        ("appraiser", 200),
        ("teammate", 404),  # no agent reads another agent's appraisal
        ("agent_elsewhere", 404),
        ("other_leader", 404),  # another team's leader
        ("manager", 200),  # manages the site
        ("other_manager", 404),
        ("hr", 200),
        ("administrator", 404),
    ],
)
def test_who_may_read_an_appraisal(scene, who, status):
    other_site = SiteFactory()
    people = {
        "appraisee": scene.agent,
        "appraiser": scene.leader,
        "teammate": UserFactory(role=Role.AGENT, site=scene.site, team=scene.team),
        "agent_elsewhere": UserFactory(role=Role.AGENT, site=other_site),
        "other_leader": TeamFactory(site=scene.site, leader=UserFactory(role=Role.TEAM_LEADER, site=scene.site)).leader,
        "manager": UserFactory(role=Role.MANAGER, site=scene.site),
        "other_manager": UserFactory(role=Role.MANAGER, site=other_site),
        "hr": UserFactory(role=Role.HR),
        "administrator": UserFactory(role=Role.ADMINISTRATOR),
    }
    response = client(people[who]).get(page_url(scene))
    assert response.status_code == status
    if status == 200:
        assert AuditEvent.objects.filter(
            action=AuditAction.VIEW, object_id=str(scene.appraisal.pk), actor=people[who]
        ).exists()


def test_an_agent_who_is_appraised_too_cannot_open_a_teammates_appraisal(scene):
    teammate = UserFactory(role=Role.AGENT, site=scene.site, team=scene.team)
    own = AppraisalFactory(cycle=scene.cycle, appraisee=teammate, appraiser=scene.leader)
    c = client(teammate)
    assert c.get(reverse("staff:appraisal", args=[own.pk])).status_code == 200
    assert c.get(page_url(scene)).status_code == 404
    assert c.post(action_url(scene, "sign")).status_code == 404
    mine = c.get(reverse("staff:my-appraisals")).content.decode()
    assert f'data-testid="appraisal-{own.pk}"' in mine and f'data-testid="appraisal-{scene.appraisal.pk}"' not in mine


def test_employee_appraisals_page_shows_the_persons_appraisals_to_those_who_may_see_them(scene):
    url = reverse("staff:employee-appraisals", args=[scene.employee.pk])
    assert client(scene.leader).get(url).status_code == 200
    assert client(scene.agent).get(url).status_code == 200
    assert client(UserFactory(role=Role.AGENT, site=scene.site, team=scene.team)).get(url).status_code == 404
    other_leader = UserFactory(role=Role.TEAM_LEADER, site=scene.site)
    assert client(other_leader).get(url).status_code == 404


def test_the_appraisals_list_shows_the_leaders_people_only_and_filters(scene):
    other = appraisal_setup(site=scene.site)
    html = client(scene.leader).get(reverse("staff:appraisals")).content.decode()
    assert f'data-testid="appraisal-{scene.appraisal.pk}"' in html
    assert f'data-testid="appraisal-{other.appraisal.pk}"' not in html
    hr = client(UserFactory(role=Role.HR))
    both = hr.get(reverse("staff:appraisals")).content.decode()
    assert f"appraisal-{scene.appraisal.pk}" in both and f"appraisal-{other.appraisal.pk}" in both
    services.self_assessment_submit(appraisal_id=other.appraisal.pk, actor=other.agent, text="x")
    drafts = hr.get(reverse("staff:appraisals"), {"status": "draft"}).content.decode()
    assert f"appraisal-{scene.appraisal.pk}" in drafts and f"appraisal-{other.appraisal.pk}" not in drafts
    in_cycle = hr.get(reverse("staff:appraisals"), {"cycle": other.cycle.pk}).content.decode()
    assert f"appraisal-{scene.appraisal.pk}" not in in_cycle and f"appraisal-{other.appraisal.pk}" in in_cycle


# --- Forms and refusals ---------------------------------------------------------------------------
def test_a_rating_off_the_scale_is_shown_by_the_field_with_what_was_typed(scene):
    competency = scene.competencies[0]
    response = client(scene.leader).post(
        action_url(scene, "rating"),
        {"rating-competency": competency.pk, "rating-rating": "7", "rating-comment": "Very calm"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="rating-error"' in html
    assert 'value="7"' in html and 'value="Very calm"' in html
    assert not scene.appraisal.ratings.exists()


def test_the_appraisal_is_worked_through_in_the_browser_and_a_second_signature_is_refused(scene):
    leader, agent = client(scene.leader), client(scene.agent)
    agent.post(action_url(scene, "self-assessment"), {"self-self_assessment": "A good year"})
    for competency in scene.competencies:
        leader.post(action_url(scene, "rating"), {"rating-competency": competency.pk, "rating-rating": "4"})
    leader.post(
        action_url(scene, "review"),
        {"review-strengths": "Calm", "review-weaknesses": "Wrap-up", "review-overall_rating": "4"},
    )
    leader.post(
        action_url(scene, "objective"),
        {"objective-title": "FCR", "objective-activities": "Shadowing", "objective-measure": "80%"},
    )
    leader.post(
        action_url(scene, "action"),
        {"action-description": "Course", "action-owner": scene.agent.pk, "action-due_on": "2026-06-01"},
    )
    scene.appraisal.refresh_from_db()
    assert scene.appraisal.status == AppraisalStatus.REVIEWED
    assert scene.appraisal.objectives.count() == 1 and scene.appraisal.actions.count() == 1
    assert agent.post(action_url(scene, "sign")).status_code == 302
    response = agent.post(action_url(scene, "sign"), follow=True)
    assert "already signed" in response.content.decode()
    item = scene.appraisal.actions.get()
    agent.post(action_url(scene, "action-done"), {"item": item.pk, "done": "on"})
    item.refresh_from_db()
    assert item.done_at is not None


def test_the_appraisee_may_not_rate_or_review(scene):
    c = client(scene.agent)
    assert c.post(action_url(scene, "review"), {"review-strengths": "Me"}).status_code == 403
    assert c.post(action_url(scene, "rating"), {}).status_code == 403


def test_a_training_need_is_raised_from_the_page(scene):
    response = client(scene.leader).post(action_url(scene, "training-need"), {"need-description": "Empathy course"})
    assert response.status_code == 302
    assert scene.appraisal.training_needs.get().description == "Empathy course"


def test_hr_opens_a_cycle_and_an_appraisal_in_the_browser(scene):
    hr = client(UserFactory(role=Role.HR))
    response = hr.post(
        reverse("staff:appraisal-cycles"), {"name": "2027", "starts_on": "2027-01-01", "ends_on": "2026-12-01"}
    )
    assert response.status_code == 400 and 'value="2027"' in response.content.decode()  # kept what was typed
    assert (
        hr.post(
            reverse("staff:appraisal-cycles"),
            {"name": "2027", "starts_on": "2027-01-01", "ends_on": "2027-12-31", "is_open": "on"},
        ).status_code
        == 302
    )
    from staff.models import AppraisalCycle

    cycle = AppraisalCycle.objects.get(name="2027")
    response = hr.post(
        reverse("staff:appraisal-new"), {"cycle": cycle.pk, "appraisee": scene.agent.pk, "appraiser": scene.leader.pk}
    )
    assert response.status_code == 302, response.context["form"].errors


# --- Upward feedback ------------------------------------------------------------------------------
def test_feedback_is_anonymous_by_default(scene):
    c = client(scene.agent)
    page = c.get(reverse("staff:feedback")).content.decode()
    assert 'name="anonymous"' in page and "checked" in page
    response = c.post(
        reverse("staff:feedback"),
        {"cycle": scene.cycle.pk, "subject": FeedbackSubject.MANAGER, "rating": "4", "anonymous": "on"},
    )
    assert response.status_code == 302
    assert UpwardFeedback.objects.get().respondent is None


def test_a_second_answer_is_refused_on_the_form(scene):
    c = client(scene.agent)
    data = {"cycle": scene.cycle.pk, "subject": FeedbackSubject.ORGANISATION, "rating": "4", "anonymous": "on"}
    c.post(reverse("staff:feedback"), data)
    response = c.post(reverse("staff:feedback"), data | {"went_well": "Typed again"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "already given feedback" in html and "Typed again" in html


def give(cycle, team, subject, ratings, comment="Keep the huddles"):
    for rating in ratings:
        person = UserFactory(role=Role.AGENT, site=team.site, team=team)
        upward_feedback_give(actor=person, cycle=cycle, subject=subject, rating=rating, went_well=comment)


def close(cycle):
    cycle.is_open = False
    cycle.save(update_fields=["is_open"])
    return cycle


def test_the_summary_hides_four_responses_and_shows_five(scene):
    four = AppraisalCycleFactory(name="Four answers")
    give(four, scene.team, FeedbackSubject.MANAGER, [4, 4, 4, 4], comment="Fair rotas")
    give(scene.cycle, scene.team, FeedbackSubject.MANAGER, [4, 4, 4, 4, 5], comment="Fair rotas")
    close(four), close(scene.cycle)
    manager = client(UserFactory(role=Role.MANAGER, site=scene.site))
    summary = reverse("staff:feedback-summary")
    html = manager.get(summary, {"cycle": four.pk}).content.decode()
    assert "fewer than 5 responses" in html
    assert "Fair rotas" not in html and "4.0" not in html
    assert 'data-chart="feedback-chart-manager"' not in html
    html = manager.get(summary, {"cycle": scene.cycle.pk}).content.decode()
    assert "fewer than 5 responses" not in html.split('data-testid="summary-manager"')[1].split("</table>")[0]
    assert "4.2" in html and "Fair rotas" in html
    assert f'data-testid="group-leaf-{scene.leader.pk}"' in html
    assert 'data-chart="feedback-chart-manager"' in html
    response = manager.get(reverse("staff:feedback-summary-export"), {"cycle": scene.cycle.pk})
    csv = b"".join(response.streaming_content).decode()
    assert "4.2" in csv
    assert "Fair rotas" not in csv  # never the answers themselves
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(scene.cycle.pk)).exists()


def test_the_summary_of_an_open_cycle_waits_for_the_close(scene):
    """Else a reader comparing the page at 5 and at 6 answers would learn the sixth answer."""
    give(scene.cycle, scene.team, FeedbackSubject.MANAGER, [4, 4, 4, 4, 5, 5], comment="Fair rotas")
    manager = client(UserFactory(role=Role.MANAGER, site=scene.site))
    response = manager.get(reverse("staff:feedback-summary"), {"cycle": scene.cycle.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Results appear when the cycle closes, so that no answer can be told apart by when it arrived." in html
    assert 'data-testid="summary-waits"' in html
    assert "4.3" not in html and "Fair rotas" not in html and "data-chart=" not in html
    assert 'data-testid="export-csv"' not in html
    export = manager.get(reverse("staff:feedback-summary-export"), {"cycle": scene.cycle.pk})
    assert export.status_code == 302 and export.url.endswith(f"?cycle={scene.cycle.pk}")
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    close(scene.cycle)
    html = manager.get(reverse("staff:feedback-summary"), {"cycle": scene.cycle.pk}).content.decode()
    assert "4.3" in html and "Fair rotas" in html and 'data-testid="summary-waits"' not in html


def test_the_summary_shows_the_latest_closed_cycle_by_default(scene):
    earlier = AppraisalCycleFactory(name="Earlier", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    give(earlier, scene.team, FeedbackSubject.ORGANISATION, [3] * 5)
    close(earlier)
    html = client(UserFactory(role=Role.HR)).get(reverse("staff:feedback-summary")).content.decode()
    assert "3.0" in html and f'<option value="{earlier.pk}" selected' in html


def test_comments_are_listed_by_their_text_not_by_when_they_arrived(scene):
    for comment in ["Zero waiting", "More coaching", "Answers fast", "Quiet room", "Brilliant rotas"]:
        give(scene.cycle, scene.team, FeedbackSubject.MANAGER, [4], comment=comment)
    close(scene.cycle)
    html = client(UserFactory(role=Role.HR)).get(reverse("staff:feedback-summary"), {"cycle": scene.cycle.pk})
    table = html.content.decode().split('data-testid="summary-manager"')[1]
    found = [table.index(c) for c in ["Answers fast", "Brilliant rotas", "More coaching", "Quiet room", "Zero waiting"]]
    assert found == sorted(found)


def test_the_summary_hides_the_other_team_when_a_site_would_give_the_small_one_away(scene):
    small = TeamFactory(site=scene.site)
    give(scene.cycle, scene.team, FeedbackSubject.ORGANISATION, [5] * 6)
    give(scene.cycle, small, FeedbackSubject.ORGANISATION, [1, 1, 1])
    close(scene.cycle)
    csv = client(UserFactory(role=Role.HR)).get(reverse("staff:feedback-summary-export"), {"cycle": scene.cycle.pk})
    lines = b"".join(csv.streaming_content).decode().splitlines()
    team_line = next(line for line in lines if scene.team.name in line)
    assert "hidden so that a smaller group cannot be worked out" in team_line
    assert "5.0" not in team_line


# --- Query counts -----------------------------------------------------------------------------
def test_the_appraisals_list_does_not_grow_with_rows(scene, django_assert_max_num_queries):
    hr = client(UserFactory(role=Role.HR))
    hr.get(reverse("staff:appraisals"))
    with django_assert_max_num_queries(12) as few:
        hr.get(reverse("staff:appraisals"))
    added = [appraisal_setup(site=scene.site).appraisal for _ in range(20)]
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = hr.get(reverse("staff:appraisals"), {"page_size": 100}).content.decode()
    shown = [a for a in added if a.appraisee.full_name in page]
    assert len(shown) >= 10  # the count is taken on a page that lists the new rows


def test_the_appraisal_page_does_not_grow_with_its_parts(scene, django_assert_max_num_queries):
    leader = client(scene.leader)
    with django_assert_max_num_queries(30) as few:
        leader.get(page_url(scene))
    for n in range(5):
        services.objective_add(
            appraisal_id=scene.appraisal.pk, actor=scene.leader, title=f"O{n}", activities="a", measure="m"
        )
        services.action_add(
            appraisal_id=scene.appraisal.pk,
            actor=scene.leader,
            description=f"A{n}",
            owner=scene.agent,
            due_on=date(2026, 6, 1),
        )
        services.appraisal_training_need_raise(appraisal_id=scene.appraisal.pk, actor=scene.leader, description=f"N{n}")
    for competency in scene.competencies:
        services.rating_set(appraisal_id=scene.appraisal.pk, actor=scene.leader, competency=competency, rating=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert leader.get(page_url(scene)).status_code == 200


def test_my_appraisals_and_the_summary_do_not_grow_with_rows(scene, django_assert_max_num_queries):
    agent = client(scene.agent)
    with django_assert_max_num_queries(10) as few:
        agent.get(reverse("staff:my-appraisals"))
    for n in range(5):
        cycle = AppraisalCycleFactory(name=f"Earlier {n}")
        services.appraisal_create(actor=scene.leader, cycle=cycle, appraisee=scene.agent)
    with django_assert_max_num_queries(len(few.captured_queries)):
        mine = agent.get(reverse("staff:my-appraisals")).content.decode()
    assert "Earlier 4" in mine
    manager = client(UserFactory(role=Role.MANAGER, site=scene.site))
    small = AppraisalCycleFactory(name="Small")
    give(small, scene.team, FeedbackSubject.MANAGER, [4] * 5)
    for _ in range(3):
        team = TeamFactory(site=scene.site, leader=UserFactory(role=Role.TEAM_LEADER, site=scene.site))
        give(scene.cycle, team, FeedbackSubject.MANAGER, [3] * 5)
        give(scene.cycle, team, FeedbackSubject.ORGANISATION, [2] * 5)
    close(small), close(scene.cycle)
    with django_assert_max_num_queries(14) as few:
        assert "4.0" in manager.get(reverse("staff:feedback-summary"), {"cycle": small.pk}).content.decode()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "3.0" in manager.get(reverse("staff:feedback-summary"), {"cycle": scene.cycle.pk}).content.decode()


@pytest.mark.parametrize("state", ["draft", "self_assessed", "reviewed", "one_signature", "signed"])
def test_the_page_offers_each_party_what_they_may_do_now(scene, state):
    pk = scene.appraisal.pk
    if state != "draft":
        services.self_assessment_submit(appraisal_id=pk, actor=scene.agent, text="Mine")
    if state in ("reviewed", "one_signature", "signed"):
        for competency in scene.competencies:
            services.rating_set(appraisal_id=pk, actor=scene.leader, competency=competency, rating=4)
        services.review_update(appraisal_id=pk, actor=scene.leader, strengths="s", weaknesses="w", overall_rating=4)
    if state in ("one_signature", "signed"):
        services.appraisal_sign(appraisal_id=pk, actor=scene.agent)
    if state == "signed":
        services.appraisal_sign(appraisal_id=pk, actor=scene.leader)
    appraiser = client(scene.leader).get(page_url(scene)).content.decode()
    appraisee = client(scene.agent).get(page_url(scene)).content.decode()
    editable = state in ("draft", "self_assessed", "reviewed")
    assert ('data-testid="review-form"' in appraiser) is editable
    assert ('data-testid="objective-form"' in appraiser) is editable
    assert 'data-testid="review-form"' not in appraisee and 'data-testid="objective-form"' not in appraisee
    assert ('data-testid="self-form"' in appraisee) is (state == "draft")
    assert ('data-testid="sign"' in appraisee) is (state == "reviewed")
    assert ('data-testid="sign"' in appraiser) is (state in ("reviewed", "one_signature"))
    assert 'data-testid="need-form"' in appraiser and 'data-testid="need-form"' not in appraisee
    assert ('data-testid="review-missing"' in appraiser) is (state in ("draft", "self_assessed"))


def test_the_feedback_page_says_what_the_person_has_already_answered(scene):
    c = client(scene.agent)
    assert 'data-testid="answered"' not in c.get(reverse("staff:feedback")).content.decode()
    upward_feedback_give(actor=scene.agent, cycle=scene.cycle, subject=FeedbackSubject.ORGANISATION, rating=3)
    html = c.get(reverse("staff:feedback")).content.decode()
    alert = html.split('data-testid="answered"')[1].split("</div>")[0]
    assert "The organisation" in alert and "team leader" not in alert


def test_hr_closes_a_cycle_from_the_cycles_page_and_its_summary_opens(scene):
    hr = client(UserFactory(role=Role.HR))
    page = hr.get(reverse("staff:appraisal-cycles")).content.decode()
    assert f'data-testid="close-cycle-{scene.cycle.pk}"' in page
    response = hr.post(reverse("staff:appraisal-cycle-close", args=[scene.cycle.pk]), follow=True)
    assert response.status_code == 200 and "is closed" in response.content.decode()
    scene.cycle.refresh_from_db()
    assert not scene.cycle.is_open
    again = hr.post(reverse("staff:appraisal-cycle-close", args=[scene.cycle.pk]), follow=True).content.decode()
    assert "already closed" in again
    assert hr.post(reverse("staff:appraisal-cycle-close", args=[999999])).status_code == 404
    assert client(scene.leader).post(reverse("staff:appraisal-cycle-close", args=[scene.cycle.pk])).status_code == 403
