"""The checker that finds template text not marked for translation (casebridge.i18n.templates)."""

from casebridge.i18n.templates import gaps_in


def texts(source):
    return [g.text for g in gaps_in(source)]


def test_a_sentence_outside_a_translation_tag_is_a_gap_with_its_line():
    gaps = gaps_in("{% load i18n %}\n<p>{% translate 'Fine' %}</p>\n<p>Not marked</p>", "t.html")
    assert [(g.path, g.line, g.text) for g in gaps] == [("t.html", 3, "Not marked")]


def test_translated_and_blocktranslated_text_is_not_a_gap():
    source = ("{% load i18n %}<h1>{% translate 'Title' %}</h1>{% blocktranslate trimmed with n=x %}\n"
              "Hello {{ n }},\n how are you{% endblocktranslate %}<a title=\"{% translate 'Open' %}\">→</a>")
    assert texts(source) == []


def test_a_human_attribute_is_a_gap_but_a_class_or_a_name_is_not():
    assert texts('<input type="submit" value="Save" class="primary big" name="go">') == ['value="Save"']
    assert texts('<input type="hidden" name="next" value="somewhere">') == []
    assert texts('<nav aria-label="Main"><img alt="Logo" src="x.png"></nav>') == ['aria-label="Main"', 'alt="Logo"']


def test_template_tags_inside_an_html_tag_do_not_hide_the_text_after_it():
    assert texts('<tr{% if soon %} class="soon"{% endif %}><td>Due</td></tr>') == ["Due"]


def test_a_default_filter_literal_shown_as_text_is_a_gap_but_not_one_in_a_class():
    assert texts('<td>{{ a|default:"never" }}</td>') == ['"never"']
    assert texts('<td>{{ a|default:_("never") }}</td>') == []
    assert texts('<tr class="{{ r|default:\'unrated\' }}"></tr>') == []
    assert texts('{% term "accuracy" a b|default:"not graded" %}') == ['"not graded"']


def test_prose_given_to_an_included_template_is_a_gap_but_a_template_path_is_not():
    source = '{% include "items/_form.html" with fields="items/_f.html" summary="Attach a file" button=_("Go") %}'
    assert texts(source) == ['summary="Attach a file"']


def test_the_product_name_symbols_and_comments_are_not_gaps():
    assert texts("<title>Casebridge</title> · — 12 {# a comment #}{% comment %}Words{% endcomment %}") == []
