"""Citizen initiatives: residents only, one support each, withdrawal, thresholds, deadlines."""

import pytest
from django.db import IntegrityError, transaction

from governance import commitments
from governance.models import Anchor, Initiative, InitiativeSupport
from governance.services import initiatives
from governance.services.errors import Conflict, NotAllowed, WrongState
from tests.governance.helpers import T0, initiative_policy, make_user, seconds

pytestmark = pytest.mark.django_db
S = Initiative.State


@pytest.fixture
def policy(db):
    return initiative_policy(debate=2, response=3, days=14)


@pytest.fixture
def initiative(policy, residents):
    return initiatives.create_initiative(
        author=residents[0],
        title="A weekly farmers' market in the old town",
        text="Every Saturday morning on the main square.",
        now=T0,
    )


def stages(initiative):
    return [
        (a.entry.payload["from"], a.entry.payload["to"], a.entry.payload["supports"])
        for a in Anchor.objects.filter(initiative=initiative, kind="initiative.stage")
    ]


def test_only_verified_residents_draft(policy):
    outsider = make_user("visitor")  # an account, but not a verified resident
    with pytest.raises(NotAllowed):
        initiatives.create_initiative(author=outsider, title="T", text="X")


def test_a_draft_copies_the_policy_and_is_anchored(initiative, policy):
    assert initiative.state == S.COLLECTING
    assert (initiative.debate_threshold, initiative.response_threshold) == (2, 3)
    policy.debate_threshold, policy.response_threshold = 50, 500
    policy.save()
    initiative.refresh_from_db()
    assert initiative.debate_threshold == 2
    anchor = Anchor.objects.get(initiative=initiative, kind="initiative.created")
    assert anchor.entry.payload["author"] == initiative.author.public_alias


def test_reaching_the_thresholds_moves_it_forward_and_anchors_each_stage(initiative, residents):
    initiatives.support_initiative(initiative=initiative, user=residents[1], now=T0)
    initiative.refresh_from_db()
    assert initiative.state == S.COLLECTING
    initiatives.support_initiative(initiative=initiative, user=residents[2], now=T0 + seconds(1))
    initiative.refresh_from_db()
    assert initiative.state == S.DEBATE and initiative.debate_at == T0 + seconds(1)
    initiatives.support_initiative(initiative=initiative, user=residents[3], now=T0 + seconds(2))
    initiative.refresh_from_db()
    assert initiative.state == S.RESPONSE_DUE
    assert initiative.response_due == T0 + seconds(2) + seconds(14 * 86400)
    assert stages(initiative) == [("collecting", "debate", 2), ("debate", "response_due", 3)]
    with pytest.raises(WrongState, match="no longer collects"):
        initiatives.support_initiative(initiative=initiative, user=residents[4])


def test_one_support_per_resident(initiative, residents):
    initiatives.support_initiative(initiative=initiative, user=residents[1], now=T0)
    with pytest.raises(Conflict, match="already support"):
        initiatives.support_initiative(initiative=initiative, user=residents[1], now=T0)
    assert InitiativeSupport.objects.filter(initiative=initiative).count() == 1


def test_the_database_refuses_a_second_standing_support(initiative, residents):
    first = initiatives.support_initiative(initiative=initiative, user=residents[1], now=T0)
    with pytest.raises(IntegrityError), transaction.atomic():
        InitiativeSupport.objects.create(
            initiative=initiative, user=residents[1], salt="00", commitment="11", created_at=T0
        )
    assert first.pk


def test_a_support_can_be_withdrawn_and_given_again_before_the_threshold(initiative, residents):
    initiatives.support_initiative(initiative=initiative, user=residents[1], now=T0)
    withdrawn = initiatives.withdraw_support(initiative=initiative, user=residents[1], now=T0)
    assert withdrawn.withdrawn_at == T0
    assert initiatives.standing_supports(initiative) == 0
    again = initiatives.support_initiative(initiative=initiative, user=residents[1], now=T0)
    assert again.commitment != withdrawn.commitment  # a fresh salt
    kinds = list(Anchor.objects.filter(initiative=initiative).values_list("kind", flat=True))
    assert kinds == [
        "initiative.created",
        "initiative.support",
        "initiative.support-withdrawn",
        "initiative.support",
    ]


def test_supports_are_final_once_the_first_threshold_is_reached(initiative, residents):
    initiatives.support_initiative(initiative=initiative, user=residents[1], now=T0)
    initiatives.support_initiative(initiative=initiative, user=residents[2], now=T0)
    with pytest.raises(WrongState, match="final"):
        initiatives.withdraw_support(initiative=initiative, user=residents[1])
    assert initiatives.standing_supports(initiative) == 2


def test_withdrawing_without_a_support_is_refused(initiative, residents):
    with pytest.raises(Conflict, match="do not support"):
        initiatives.withdraw_support(initiative=initiative, user=residents[1])


def test_non_residents_cannot_support(initiative):
    with pytest.raises(NotAllowed):
        initiatives.support_initiative(initiative=initiative, user=make_user("tourist"))


def test_a_district_initiative_takes_only_that_districts_residents(policy, residents):
    local = initiatives.create_initiative(
        author=residents[0],
        title="Harbour benches",
        text="More benches by the water.",
        district=residents[0].residencies.get().district,
    )
    elsewhere = make_user("elsewhere", resident_of=2)
    with pytest.raises(NotAllowed):
        initiatives.support_initiative(initiative=local, user=elsewhere)


def test_the_ledger_sees_supports_only_as_commitments(initiative, residents):
    support = initiatives.support_initiative(initiative=initiative, user=residents[1], now=T0)
    entry = Anchor.objects.get(initiative=initiative, kind="initiative.support").entry
    assert residents[1].public_alias not in str(entry.payload)
    opening = commitments.support_opening(
        salt=support.salt, initiative=initiative.pk, supporter=residents[1].public_alias
    )
    assert commitments.matches(opening, entry.payload["support"])


def test_a_missed_deadline_is_recorded_and_a_late_answer_is_marked(initiative, residents, admin):
    for resident in residents[1:4]:
        initiatives.support_initiative(initiative=initiative, user=resident, now=T0)
    initiative.refresh_from_db()
    assert initiatives.mark_overdue(now=initiative.response_due) == 0
    assert initiatives.mark_overdue(now=initiative.response_due + seconds(1)) == 1
    assert initiatives.mark_overdue(now=initiative.response_due + seconds(2)) == 0
    initiative.refresh_from_db()
    assert initiative.state == S.OVERDUE
    answered = initiatives.respond_to_initiative(
        initiative=initiative, by=admin, response="We will put it to a vote in May."
    )
    assert answered.state == S.ANSWERED
    response = Anchor.objects.get(initiative=initiative, kind="initiative.response").entry
    assert response.payload["late"] is True


def test_only_the_council_answers_and_not_before_a_debate(initiative, residents, admin):
    with pytest.raises(WrongState):
        initiatives.respond_to_initiative(initiative=initiative, by=admin, response="No")
    with pytest.raises(NotAllowed):
        initiatives.respond_to_initiative(initiative=initiative, by=residents[1], response="No")
