"""Properties (c) and (d) of the sharing rule over random worlds: nothing is visible without a
basis, and every kind of revocation removes the access it carried on the very next query."""

import datetime as dt

from django.db import transaction
from hypothesis import event, given
from hypothesis import strategies as st

from casebridge import policy
from casebridge.agencies.models import Practitioner
from casebridge.cases.models import Case, Membership, MembershipPhase, TeamAssignment
from casebridge.cases.services import case_facts
from casebridge.items.facts import item_facts, items_with_case, sharing_facts
from casebridge.items.models import InformationItem
from casebridge.policy import Perm
from casebridge.policy.tests.test_three_encodings_agree import NOW, PURPOSES, TODAY, _build, _Rollback, world
from casebridge.sharing.models import AgreementVersion, Consent, Disclosure


def _uncover_phase():
    MembershipPhase.objects.filter(phase="aftercare").delete()
    Case.objects.update(phase="aftercare")


# kind of revocation: (what happens, which bases it must leave behind: None = no access at all)
REVOCATIONS = {
    "withdraw_consents": (lambda: Consent.objects.update(withdrawn_at=NOW), "consent of"),
    "suspend_agreements": (lambda: AgreementVersion.objects.filter(status="active").update(status="suspended"),
                           "agreement "),
    "expire_agreements": (lambda: AgreementVersion.objects.update(valid_to=TODAY - dt.timedelta(days=1)),
                          "agreement "),
    "revoke_disclosures": (lambda: Disclosure.objects.update(revoked_at=NOW), "disclosure "),
    "end_memberships": (lambda: Membership.objects.update(ends_on=TODAY), None),
    "leave_teams": (lambda: TeamAssignment.objects.update(released_at=NOW), None),
    "uncovered_phase": (_uncover_phase, None),
}


def _visible(purposes):
    """{(practitioner, purpose): {item id: basis}} by the filter, with decide's basis for each."""
    people = list(Practitioner.objects.select_related("agency"))
    loaded = {i.pk: i for i in items_with_case(InformationItem.objects.all())}
    cases = {c.pk: case_facts(c) for c in Case.objects.prefetch_related("memberships__coverage", "team")}
    facts = sharing_facts()
    seen = {}
    for person in people:
        for purpose in purposes:
            ids = InformationItem.objects.filter(policy.visible_items(person, purpose, TODAY)).values_list("pk", flat=True)
            bases = {}
            for pk in ids:
                item = item_facts(loaded[pk])
                decision = policy.decide_item(person, Perm.ITEM_READ, item, cases[item.case_id], facts, purpose, TODAY)
                assert decision.allowed and decision.reason, f"item {pk} listed for {person.username} without a basis"
                assert policy.sharing_basis(person, item, facts, purpose, TODAY)
                bases[pk] = decision.reason
            seen[(person.pk, purpose)] = bases
    return seen


@given(spec=world, kind=st.sampled_from(sorted(REVOCATIONS)))
def test_every_revocation_removes_the_access_it_carried_on_the_next_query(db, spec, kind):
    revoke, gone = REVOCATIONS[kind]
    try:
        with transaction.atomic():
            _build(spec)
            before = _visible(PURPOSES)
            event(f"{kind}: access to revoke" if any(before.values()) else f"{kind}: nothing visible")
            revoke()
            after = _visible(PURPOSES)
            for key, bases in after.items():
                assert set(bases) <= set(before[key]), f"{kind} gave new access to {key}"
                if gone is None:
                    assert bases == {}, f"{kind} left {key} with access to {sorted(bases)}"
                else:
                    assert not [b for b in bases.values() if gone in b], f"{kind} left access resting on it"
            raise _Rollback
    except _Rollback:
        pass
