"""Demo people and places for `manage.py seed_demo`: two sites, their teams, and staff in every role.

Deterministic for a given random generator: the same seed builds the same people."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from ..models import Language, Site, Team, User
from ..roles import Role
from ..services import user_create

DEMO_DOMAIN = "tawasul.demo"

# (role, email local part, full name, Arabic name, preferred language, password)
DEMO_LOGINS: list[tuple[str, str, str, str, str, str]] = [
    (Role.AGENT, "agent", "Amira Haddad", "أميرة حداد", Language.ARABIC, "agent-demo-pass"),
    (Role.NURSE, "nurse", "Grace Okafor", "", Language.ENGLISH, "nurse-demo-pass"),
    (Role.TEAM_LEADER, "teamleader", "Tom Whitfield", "", Language.ENGLISH, "leader-demo-pass"),
    (Role.MANAGER, "manager", "Sarah Clarke", "", Language.ENGLISH, "manager-demo-pass"),
    (Role.HR, "hr", "Layla Mansour", "ليلى منصور", Language.ARABIC, "hr-demo-pass-2026"),
    (Role.ADMINISTRATOR, "admin", "Daniel Price", "", Language.ENGLISH, "admin-demo-pass"),
    (Role.CLAIMS_ASSESSOR, "assessor", "Priya Shah", "", Language.ENGLISH, "assessor-demo-pass"),
    (Role.API_CLIENT, "telephony", "Telephony platform (API client)", "", Language.ENGLISH, ""),
]

SCALES = {
    # agent teams per site, agents per team
    "small": (3, 8),
    "medium": (8, 14),
    "large": (20, 15),
}

SITES = [("staines", "Staines", "ستينز"), ("manchester", "Manchester", "مانشستر")]
TEAM_NAMES = [
    "Membership and renewals",
    "Cover and pre-authorisation",
    "Claims",
    "Complaints",
    "Corporate accounts",
]
FIRST = [
    "Oliver",
    "Amelia",
    "Harry",
    "Isla",
    "Jack",
    "Ava",
    "George",
    "Mia",
    "Noah",
    "Emily",
    "Leo",
    "Sophie",
    "Arthur",
    "Grace",
    "Oscar",
    "Lily",
    "Charlie",
    "Freya",
    "Jacob",
    "Ella",
    "Priya",
    "Rohan",
    "Aisha",
    "Kwame",
]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Khan",
    "Lewis",
]
# Arabic-speaking staff, named in both scripts.
ARABIC_NAMES = [
    ("Omar", "عمر"),
    ("Fatima", "فاطمة"),
    ("Yusuf", "يوسف"),
    ("Mariam", "مريم"),
    ("Khalid", "خالد"),
    ("Nour", "نور"),
    ("Samir", "سمير"),
    ("Huda", "هدى"),
]
ARABIC_SURNAMES = [
    ("Haddad", "حداد"),
    ("Mansour", "منصور"),
    ("Khoury", "خوري"),
    ("Nasser", "ناصر"),
    ("Saleh", "صالح"),
    ("Aziz", "عزيز"),
]

EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass
class PeopleSeeded:
    sites: list[Site]
    teams: list[Team]
    staff_count: int
    api_client: User


def seed_people(*, rng: random.Random, scale: str) -> PeopleSeeded:
    teams_per_site, agents_per_team = SCALES[scale]
    sites = [Site.objects.create(code=code, name=name, name_ar=name_ar) for code, name, name_ar in SITES]
    teams: list[Team] = []
    for site in sites:
        for i in range(teams_per_site):
            base = TEAM_NAMES[i % len(TEAM_NAMES)]
            name = base if i < len(TEAM_NAMES) else f"{base} {i // len(TEAM_NAMES) + 1}"
            teams.append(Team.objects.create(site=site, name=name))
    nurse_team = Team.objects.create(site=sites[0], name="Nurse advice line")
    teams.append(nurse_team)
    first_agent_team = teams[0]

    # The demo logins: fixed people in fixed teams, so the README can describe what each one sees.
    demo_users: dict[str, User] = {}
    for role, local, full_name, name_ar, language, password in DEMO_LOGINS:
        team = {Role.AGENT: first_agent_team, Role.NURSE: nurse_team, Role.TEAM_LEADER: first_agent_team}.get(role)
        user = user_create(
            email=f"{local}@{DEMO_DOMAIN}",
            full_name=full_name,
            full_name_ar=name_ar,
            role=role,
            password=password or None,
            site=team.site if team else sites[0],
            team=team,
            preferred_language=language,
        )
        demo_users[role] = user
    User.objects.filter(pk__in=[u.pk for u in demo_users.values()]).update(date_joined=EPOCH)
    first_agent_team.leader = demo_users[Role.TEAM_LEADER]
    first_agent_team.save(update_fields=["leader"])

    # Everyone else, in bulk: a team leader per team without one, then its agents (or nurses).
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    unusable = make_password(None)
    people: list[tuple[User, str]] = []
    number = 0

    def person(role: str, team: Team) -> User:
        nonlocal number
        number += 1
        if rng.random() < 0.2:
            (first, first_ar), (last, last_ar) = rng.choice(ARABIC_NAMES), rng.choice(ARABIC_SURNAMES)
            full_ar, language = f"{first_ar} {last_ar}", rng.choice([Language.ARABIC, Language.ENGLISH])
        else:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            full_ar, language = "", Language.ENGLISH
        user = User(
            email=f"{first}.{last}.{number:04d}@{DEMO_DOMAIN}".lower(),
            full_name=f"{first} {last}",
            full_name_ar=full_ar,
            preferred_language=language,
            site=team.site,
            team=team,
            password=unusable,
            date_joined=EPOCH - timedelta(days=rng.randint(30, 3000)),
        )
        people.append((user, role))
        return user

    leaders_needed = [team for team in teams if team.leader_id is None]
    leaders = {team.pk: person(Role.TEAM_LEADER, team) for team in leaders_needed}
    for team in teams:
        size = agents_per_team if team is not nurse_team else max(4, agents_per_team // 2)
        for _ in range(size - (1 if team is first_agent_team else 0)):
            person(Role.NURSE if team is nurse_team else Role.AGENT, team)
    User.objects.bulk_create([user for user, _ in people], batch_size=500)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=groups[role].pk) for user, role in people], batch_size=1000
    )
    for team in leaders_needed:
        team.leader = leaders[team.pk]
    Team.objects.bulk_update(leaders_needed, ["leader"])
    return PeopleSeeded(sites, teams, len(people) + len(DEMO_LOGINS), demo_users[Role.API_CLIENT])


# The people side's records that go through their services one by one (appraisals, quality
# evaluations) are made for a few teams per site, whatever the scale: enough to show every state,
# and the medium and large demos stay quick to seed.
SHOWCASE_TEAMS_PER_SITE = 2


def showcase_teams(people: PeopleSeeded) -> list[Team]:
    """The first SHOWCASE_TEAMS_PER_SITE teams of each site, in the order they were made."""
    chosen: list[Team] = []
    for site in people.sites:
        chosen += [team for team in people.teams if team.site_id == site.pk][:SHOWCASE_TEAMS_PER_SITE]
    return chosen
