import json

import pytest

from casebridge.assessments import instruments
from casebridge.glossary import terms


def _clear():
    terms.clear()
    instruments._registry.cache_clear()
    instruments.crosswalk.cache_clear()


@pytest.fixture(autouse=True)
def fresh_glossary():
    """Each test reads the glossary's files afresh (some write a deployment's own)."""
    _clear()
    yield
    _clear()


@pytest.fixture
def deployment(tmp_path, settings):
    """`deployment({...})` writes one file into a fresh CASEBRIDGE_GLOSSARY_DIR."""

    def write(content, name="local.json"):
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        settings.CASEBRIDGE_GLOSSARY_DIR = str(tmp_path)
        return path

    return write
