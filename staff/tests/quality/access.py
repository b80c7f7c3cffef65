"""The role matrix's rows for the quality pages and endpoints (gathered by staff/tests/access.py)."""

from contactcentre.tests.matrix import ADM, ANON, API_C, CA, HR, PEOPLE, TL, A, M, N, only

# The agent acknowledges; those who may see the evaluation but are not its agent are refused; the
# others are not told it exists.
_ACKNOWLEDGE = {A: 302, TL: 403, M: 403, HR: 403, N: 404, ADM: 404, CA: 404, API_C: 302, ANON: 302}

# (url name, path with {placeholders} from records(), method, expected status per caller)
ROWS: list[tuple] = [
    ("staff:quality", "/staff/quality/", "get", only(TL, M)),
    ("staff:quality-export", "/staff/quality/export.csv", "get", only(TL, M)),
    ("staff:evaluate", "/staff/quality/contacts/{quality_contact}/evaluate/", "get", only(TL, M)),
    # Empty: the form again, with an error by every item.
    ("staff:evaluate", "/staff/quality/contacts/{quality_contact}/evaluate/", "post", only(TL, M)),
    ("staff:evaluation", "/staff/quality/evaluations/{evaluation}/", "get", only(A, TL, M, HR, denied=404)),
    ("staff:evaluation-acknowledge", "/staff/quality/evaluations/{evaluation}/acknowledge/", "post", _ACKNOWLEDGE),
    ("staff:my-evaluations", "/staff/me/evaluations/", "get", only(*PEOPLE)),
    (
        "staff:employee-evaluations",
        "/staff/employees/{employee_agent}/evaluations/",
        "get",
        only(A, TL, M, HR, denied=404),
    ),
    ("staff:calibrations", "/staff/quality/calibration/", "get", only(TL, M)),
    ("staff:calibration-new", "/staff/quality/calibration/new/", "get", only(TL, M)),
    ("staff:calibration-new", "/staff/quality/calibration/new/", "post", only(TL, M)),  # empty: the form again
    ("staff:calibration", "/staff/quality/calibration/{calibration}/", "get", only(TL, M)),
    ("staff:calibration-score", "/staff/quality/calibration/{calibration}/score/", "post", only(TL, M)),
    ("staff:recognition", "/staff/recognition/", "get", only(*PEOPLE)),
    # Empty: the page again, with the award form's errors.
    ("staff:recognition-award", "/staff/recognition/award/", "post", only(TL, M)),
]


def records(people: dict, base: dict) -> dict:
    """The objects ROWS name, as {placeholder: primary key}. `people` maps each role to a user;
    `base` holds what staff/tests/access.py made for every area (team, employees)."""
    from calls.tests.factories import ContactFactory
    from staff.services.quality import calibration_create, evaluation_record

    from .factories import answers_for, scorecard_with_items

    card = scorecard_with_items(name="Matrix scorecard")
    contact = ContactFactory(agent=people[A])
    evaluation = evaluation_record(
        actor=people[TL],
        contact=contact,
        scorecard=card,
        answers=answers_for(card, greeting=4, resolution=3, compliance=1),
    )
    session = calibration_create(actor=people[TL], contact=contact, scorecard=card)
    return {
        "quality_contact": ContactFactory(agent=people[A]).pk,
        "evaluation": evaluation.pk,
        "calibration": session.pk,
    }
