from casebridge.imports.tests.conftest import legacy_file


def test_smoke(run_import, cast):
    summary, rejected = run_import(legacy_file(10), batch_size=3)
    assert rejected == []
    assert summary.imported == 14
