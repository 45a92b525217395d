"""Plain language: what the crawl counts as machine text on a page (crawl_plain.py). The crawl itself,
of every page ten personas reach, is test_crawl_need_to_know.py's: one crawl judged for need-to-know
and for plain language."""

from casebridge.tests.crawl_plain import codes_in, machine_text, readable


def test_the_code_pattern_finds_a_code_as_a_word_and_only_as_one():
    assert codes_in("Phase: release_preparation.") == {"release_preparation"}
    assert codes_in("Release preparation; xrelease_preparationx") == set()


def test_a_page_is_read_as_a_person_reads_it_without_markup_scripts_or_attributes():
    page = ('<p title="release_preparation">Release preparation</p><script>let p = "programme_and_intervention";'
            '</script><a href="/x?phase=release_preparation">Since 3 March 2025</a>')
    assert readable(page) == "Release preparation Since 3 March 2025"
    assert machine_text("cases:detail", page) == set()


def test_a_code_or_an_iso_date_on_a_page_is_machine_text_and_a_machine_format_keeps_its_dates():
    page = "<td>release_preparation</td><td>2025-03-01</td>"
    assert machine_text("cases:detail", page) == {"release_preparation", "2025-03-01"}
    assert machine_text("dataprotection:export_json", page) == {"release_preparation"}
