"""The glossary is data: every term Casebridge names is defined, every mapping joins existing terms, a
deployment adds its own words, and a file Casebridge cannot use stops it with a one-line reason."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from casebridge.assessments import instruments
from casebridge.cases.models import Phase
from casebridge.conferences import kinds
from casebridge.glossary import categorisations, terms
from casebridge.items.models import InformationAccuracy, Nature, SourceReliability
from casebridge.vocabulary import Category, Purpose


def test_every_value_the_interface_shows_has_a_term_with_a_definition(settings):
    expected = ([f"phase:{v}" for v in Phase.values] + [f"category:{v}" for v in Category.values]
                + [f"purpose:{v}" for v in Purpose.values] + [f"reliability:{v}" for v in SourceReliability.values]
                + [f"accuracy:{v}" for v in InformationAccuracy.values]
                + [f"classification:{rank}" for rank in range(len(settings.CASEBRIDGE_CLASSIFICATION_LABELS))]
                + [f"marking:{code}" for code in ("ORCON", "NO-DECISION", "NO-CROSS-BORDER", "intelligence")]
                + [f"domain:{t.code}:{d.code}" for t in instruments.registry().values() for d in t.domains]
                + [f"common:{code}" for code, _name in instruments.crosswalk().common]
                + [f"conference:{code}" for code in kinds.all_kinds()] + ["grading:code"]
                + [f"grading:{r}{a}" for r in SourceReliability.values for a in InformationAccuracy.values]
                + [f"nature:{v}" for v in Nature.values] + ["field:retracted", "field:tearline"])
    every = terms.glossary()
    missing = [key for key in expected if key not in every or not str(every[key].definition).strip()]
    assert missing == []
    assert "B2" in str(every["grading:code"].definition)


def test_every_mapping_joins_existing_terms_and_every_vocabulary_term_is_defined():
    vocabularies = categorisations.vocabularies()
    assert {"vught", "se_prison"} <= set(vocabularies)
    assert {t.code for t in vocabularies["vught"].terms} == {"leader", "follower", "criminal_opportunist"}
    for vocabulary in vocabularies.values():
        assert all(t.name.strip() and t.definition.strip() for t in vocabulary.terms), vocabulary.code
    for m in categorisations.mappings():
        assert categorisations.term(m.vocabulary, m.term) is not None
        assert m.other_vocabulary in vocabularies and m.vocabulary != m.other_vocabulary
        assert (m.other_term == "") == (m.relation == "no_counterpart")
        assert not m.other_term or categorisations.term(m.other_vocabulary, m.other_term) is not None
        assert m.note.strip()


def test_counterparts_read_a_mapping_from_either_end():
    leader = categorisations.counterparts("vught", "leader")
    assert [(c.vocabulary.code, c.term.code, c.relation) for c in leader] == [("se_prison", "transmitter", "narrower")]
    transmitter = {(c.term.code, c.relation) for c in categorisations.counterparts("se_prison", "transmitter")}
    assert ("leader", "broader") in transmitter and ("follower", "overlaps") in transmitter
    opportunist = categorisations.counterparts("vught", "criminal_opportunist")
    assert [(c.vocabulary.code, c.term, c.relation) for c in opportunist] == [("se_prison", None, "no_counterpart")]
    vocabulary, term, relation, note = opportunist[0]  # unpacks as (vocabulary, term, relation, note)
    assert note and categorisations.term("nowhere", "leader") is None


def test_a_deployment_file_adds_a_vocabulary_a_mapping_and_a_term_with_a_synonym(deployment):
    deployment({
        "vocabularies": [{"code": "local", "name": "Local wing", "source": "A regional prison", "terms": [
            {"code": "influencer", "name": "Influencer", "definition": "Sways others on the wing."}]}],
        "mappings": [{"from": "local:influencer", "to": "se_prison:transmitter", "relation": "equivalent",
                      "note": "Same idea, local word."}],
        "terms": [{"key": "field:wing_talk", "kind": "field", "label": "Wing talk", "definition": "Chat on the wing.",
                   "synonyms": [{"word": "afdelingspraat", "agency_kind": "prison", "country": "NL"}]},
                  {"key": "phase:custody", "synonyms": [{"word": "inside", "agency_kind": "cso"}]}]})
    assert categorisations.term("local", "influencer").definition == "Sways others on the wing."
    assert [(c.vocabulary.code, c.term.code) for c in categorisations.counterparts("se_prison", "transmitter")
            if c.vocabulary.code == "local"] == [("local", "influencer")]
    every = terms.glossary()
    assert every["field:wing_talk"].synonyms[0].word == "afdelingspraat"
    assert "categorisation:local:influencer" in every
    custody = [s.word for s in every["phase:custody"].synonyms]
    assert "inside" in custody and "detentie" in custody  # added to the shipped synonyms, not replacing them


def test_a_deployment_instrument_and_new_classification_labels_appear_without_a_word_written(tmp_path, settings):
    (tmp_path / "local.json").write_text(json.dumps({
        "code": "vera-2r", "version": "2", "name": "VERA-2R (2)", "rating_scale": ["low", "high"],
        "overall_scale": ["low", "high"], "review_interval_days": 100,
        "domains": [{"code": "BA", "name": "Beliefs, revised", "indicators": ["BA1"]}]}))
    settings.CASEBRIDGE_INSTRUMENTS_DIR = str(tmp_path)
    settings.CASEBRIDGE_CLASSIFICATION_LABELS = ["EU OPEN", "EU RESTRICTED", "EU SECRET"]
    every = terms.glossary()
    assert every["domain:vera-2r:BA"].label == "Beliefs, revised"
    assert every["classification:2"].label == "EU SECRET" and "classification:3" not in every
    assert "Level 3 of 3" in str(every["classification:2"].definition)


@pytest.mark.parametrize("content, reason", [
    ("{", "Expecting property name"),
    ({"words": []}, "unknown part 'words'"),
    ({"terms": [{"key": "field:x", "kind": "field", "label": "X"}]},
     "terms entry 1: a new term needs a label and a definition"),
    ({"terms": [{"key": "field:x", "kind": "nonsense", "label": "X", "definition": "Y"}]}, "needs a kind"),
    ({"terms": [{"key": "phase:custody", "synonyms": [{"word": "bajes", "agency_kind": "jail"}]}]},
     "unknown agency kind 'jail'"),
    ({"terms": [{"key": "phase:custody", "synonyms": [{"word": "bajes"}]}]}, "needs an agency_kind, a country"),
    ({"terms": [{"key": "phase:custody", "synonyms": [{"word": "bajes", "country": "Netherlands"}]}]},
     "not a two-letter code"),
    ({"vocabularies": [{"code": "x", "name": "X", "source": "S", "terms": []}]}, "vocabularies entry 1: terms must"),
    ({"vocabularies": [{"code": "x", "name": "X", "source": "S", "terms": [
        {"code": "a", "name": "A", "definition": "D"}, {"code": "a", "name": "B", "definition": "E"}]}]},
     "distinct codes"),
    ({"mappings": [{"from": "vught:leader", "to": "se_prison:preacher", "relation": "overlaps", "note": "N"}]},
     "refers to se_prison:preacher, which no vocabulary defines"),
    ({"mappings": [{"from": "vught:leader", "to": "se_prison:transmitter", "relation": "same", "note": "N"}]},
     "relation 'same' is not one of"),
    ({"mappings": [{"from": "vught:leader", "to": "se_prison", "relation": "overlaps", "note": "N"}]},
     "a vocabulary alone for no_counterpart"),
])
def test_a_bad_deployment_file_refuses_with_a_one_line_reason_naming_it(deployment, content, reason):
    deployment(content, name="bad.json")
    with pytest.raises(ImproperlyConfigured) as refused:
        terms.glossary()
    message = str(refused.value)
    assert "bad.json" in message and reason in message and "\n" not in message


def test_a_glossary_directory_that_does_not_exist_refuses_at_start(settings):
    from django.apps import apps

    settings.CASEBRIDGE_GLOSSARY_DIR = "/nonexistent/glossary"
    with pytest.raises(ImproperlyConfigured, match="CASEBRIDGE_GLOSSARY_DIR=/nonexistent/glossary: not a directory"):
        apps.get_app_config("glossary").ready()


def test_casebridge_refuses_to_start_with_a_bad_glossary_file_in_one_line(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "bad.json").write_text(json.dumps({"terms": [{"key": "phase:custody", "synonyms": [
        {"word": "bajes", "agency_kind": "jail"}]}]}))
    env = {**os.environ, "CASEBRIDGE_GLOSSARY_DIR": str(tmp_path), "CASEBRIDGE_DATA_DIR": str(tmp_path / "data")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-m", "casebridge.cli", "check"], env=env, capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[3], timeout=120)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        f"casebridge: configuration error: {tmp_path / 'bad.json'}: terms entry 1: synonym 'bajes': "
        "unknown agency kind 'jail'"]
