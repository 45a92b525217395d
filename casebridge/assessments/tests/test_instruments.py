"""Instruments and the crosswalk are data: every file loads, every scale is ordered and distinct, every
domain maps onto a common domain; a deployment adds its own instrument and a licensed one its wording."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from casebridge.assessments import instruments


@pytest.fixture(autouse=True)
def fresh_registry():
    instruments._registry.cache_clear()
    instruments.crosswalk.cache_clear()
    yield
    instruments._registry.cache_clear()
    instruments.crosswalk.cache_clear()


def test_every_shipped_instrument_loads_with_ordered_scales_and_maps_onto_the_common_domains():
    every = instruments.registry()
    assert {"vera-2r@1", "erg22@1", "trap-18@1", "threat-level@1"} <= set(every)
    walk = instruments.crosswalk()
    common = {code for code, _name in walk.common}
    for tool in every.values():
        assert len(set(tool.rating_scale)) == len(tool.rating_scale) >= 2
        assert all(walk.common_of(tool, d.code) in common for d in tool.domains), tool.key
        assert not tool.wording  # licensed wording never ships
    assert "not a score" in walk.note


def test_a_deployment_adds_an_instrument_and_a_licensed_deployment_its_wording(tmp_path, settings):
    own, wording = tmp_path / "own", tmp_path / "wording"
    own.mkdir(), wording.mkdir()
    (own / "local.json").write_text(json.dumps({
        "code": "vera-2r", "version": "2", "name": "VERA-2R", "rating_scale": ["low", "high"],
        "overall_scale": ["low", "high"], "review_interval_days": 100,
        "domains": [{"code": "BA", "name": "Beliefs", "indicators": ["BA1"]}]}))
    (wording / "vera.json").write_text(json.dumps({"code": "vera-2r", "version": "1",
                                                   "indicators": {"BA1": "Licensed wording of BA1"}}))
    settings.CASEBRIDGE_INSTRUMENTS_DIR, settings.CASEBRIDGE_INSTRUMENT_WORDING_DIR = str(own), str(wording)
    every = instruments.registry()
    assert every["vera-2r@2"].review_interval_days == 100 and every["vera-2r@1"].words("BA1") == "Licensed wording of BA1"


@pytest.mark.parametrize("change, reason", [
    ({"rating_scale": ["low"]}, "at least two distinct values"),
    ({"domains": [{"code": "A", "name": "A", "indicators": ["X"]}, {"code": "A", "name": "B", "indicators": ["Y"]}]},
     "distinct codes"),
    ({"review_interval_days": 0}, "positive"),
    ({"name": None, "domains": "x"}, "malformed"),
])
def test_a_bad_instrument_file_refuses_with_its_path_and_reason(tmp_path, settings, change, reason):
    base = {"code": "x", "version": "1", "name": "X", "rating_scale": ["a", "b"], "overall_scale": ["a", "b"],
            "review_interval_days": 10, "domains": [{"code": "D", "name": "D", "indicators": ["D1"]}]}
    (tmp_path / "bad.json").write_text(json.dumps({**base, **change}))
    settings.CASEBRIDGE_INSTRUMENTS_DIR = str(tmp_path)
    with pytest.raises(ImproperlyConfigured) as refused:
        instruments.registry()
    assert "bad.json" in str(refused.value) and reason in str(refused.value)
