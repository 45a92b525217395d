from casebridge.conftest import PURPOSE
from casebridge.items import services as items


def titles(user, purpose=PURPOSE):
    return sorted(i.title for i in items.visible_items(user, purpose))


def test_each_persona_reads_exactly_what_the_rule_allows(exchange, cast):
    assert titles(cast["petra"]) == sorted(["Calm on the wing", "Network contacts assessed", "Mentoring sessions started"])
    assert titles(cast["clara"]) == sorted(["Mentoring sessions started", "Education course enrolled"])
    assert titles(cast["ivo"]) == sorted(["Calm on the wing", "Sleep problems reported", "Education course enrolled"])
    assert "Travel plans" in titles(cast["omar"])
    assert titles(cast["xavier"]) == [] and titles(cast["nora"]) == []
