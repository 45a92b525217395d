"""Template text a person reads but nobody marked for translation.

Each template is cut into tokens by Django's own template lexer. Text inside `{% translate %}`,
`{% blocktranslate %}` and comments is marked; every other text token is parsed as HTML, and what
a person reads there — element text, and the attributes that browsers show or read out (title,
aria-label, placeholder, alt, the value of a button) — must contain no letters. Literal strings
given to `default`/`yesno` filters and to `{% include ... with x="..." %}` count too: they are
shown as they are unless written `_("...")`.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parent.parent
MARK = "\x00"  # stands for a template tag or variable in the HTML skeleton: no letters
# Words that are the same in every language: the product's name, names of algorithms.
ALLOWED = frozenset({"Casebridge", "SHA"})  # SHA-256: the name of an algorithm
HUMAN_ATTRIBUTES = frozenset({"title", "aria-label", "aria-description", "aria-roledescription", "placeholder",
                              "alt", "label", "aria-placeholder", "aria-valuetext"})
BUTTON_INPUTS = frozenset({"submit", "button", "reset"})
UNREAD_ELEMENTS = frozenset({"script", "style"})
_FILTER_LITERAL = re.compile(r"\|\s*(?:default|default_if_none|yesno)\s*:\s*(\"[^\"]*\"|'[^']*')")
_WITH_LITERAL = re.compile(r"(\w+)=(\"[^\"]*\"|'[^']*')")
_NAME_LIKE = re.compile(r"^[a-z0-9_.:/-]*$")  # a URL name, a template path, a CSS class: not prose


@dataclass(frozen=True)
class Gap:
    path: str
    line: int
    text: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.text}"


def template_files(root: Path = ROOT) -> list[Path]:
    """Every template of the project: the shared ones and each app's."""
    return sorted(p for p in root.rglob("templates/**/*") if p.is_file() and p.suffix in {".html", ".txt"})


def gaps_in(source: str, path: str = "<template>") -> list[Gap]:
    """The unmarked text of one template, in order."""
    skeleton, gaps = _skeleton(source, path)
    reader = _Reader(path)
    reader.feed(skeleton)
    reader.close()
    return sorted(gaps + reader.gaps, key=lambda g: g.line)


def project_gaps(root: Path = ROOT) -> list[Gap]:
    gaps = []
    for file in template_files(root):
        gaps += gaps_in(file.read_text(encoding="utf-8"), str(file.relative_to(root.parent)))
    return gaps


def _has_words(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text.replace(MARK, " "))
    return any(word not in ALLOWED for word in words)


def _skeleton(source: str, path: str) -> tuple[str, list[Gap]]:
    """The template as HTML with every tag and variable replaced by MARK (a space inside an HTML
    tag, where it must not break the tag) and every marked or commented text by its line breaks
    only, so lines still match; plus the gaps found in the template tags themselves."""
    parts, gaps, closing, tag = [], [], None, _TagState()
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.TEXT:
            text = token.contents if closing is None else "\n" * token.contents.count("\n")
            parts.append(text)
            tag.read(text)
            continue
        parts.append(" " if tag.inside else MARK)
        if token.token_type == TokenType.BLOCK:
            words = token.split_contents()
            if closing is not None:
                closing = None if words[0] == closing else closing
                continue
            gaps += _tag_gaps(token, words, path) + _literal_gaps(token, path)
            if words[0] in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                closing = "end" + words[0]
        elif token.token_type == TokenType.VAR and closing is None and tag.shows_words():
            gaps += _literal_gaps(token, path)
    return "".join(parts), gaps


class _TagState:
    """Whether the HTML written so far ends inside a tag, and in which attribute."""

    _ATTRIBUTE = re.compile(r"([\w:-]+)\s*=\s*[\"']?[^\"'=]*$")

    def __init__(self):
        self.inside, self.tail = False, ""

    def read(self, text: str) -> None:
        opened, closed = text.rfind("<"), text.rfind(">")
        if opened > closed:
            self.inside, self.tail = True, text[opened:]
        elif closed > opened:
            self.inside, self.tail = False, ""
        elif self.inside:
            self.tail += text

    def shows_words(self) -> bool:
        """Whether a value written here is read by a person: element text or a human attribute."""
        if not self.inside:
            return True
        attribute = self._ATTRIBUTE.search(self.tail)
        return attribute is not None and attribute.group(1).lower() in HUMAN_ATTRIBUTES


def _literal_gaps(token, path) -> list[Gap]:
    return [Gap(path, token.lineno, lit) for lit in _FILTER_LITERAL.findall(token.contents) if _has_words(lit)]


def _tag_gaps(token, words, path) -> list[Gap]:
    if words[0] not in ("include", "with", "firstof"):
        return []
    found = []
    for name, literal in _WITH_LITERAL.findall(token.contents):
        value = literal[1:-1]
        if _has_words(value) and not _NAME_LIKE.match(value):
            found.append(Gap(path, token.lineno, f"{name}={literal}"))
    return found


class _Reader(HTMLParser):
    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.path, self.gaps, self.unread = path, [], 0

    def handle_starttag(self, tag, attrs):
        self._attributes(tag, attrs)
        if tag in UNREAD_ELEMENTS:
            self.unread += 1

    def handle_startendtag(self, tag, attrs):
        self._attributes(tag, attrs)

    def handle_endtag(self, tag):
        if tag in UNREAD_ELEMENTS and self.unread:
            self.unread -= 1

    def handle_data(self, data):
        if self.unread or not _has_words(data):
            return
        line = self.getpos()[0] + data[:len(data) - len(data.lstrip())].count("\n")
        self.gaps.append(Gap(self.path, line, " ".join(data.replace(MARK, "…").split())))

    def _attributes(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            human = name in HUMAN_ATTRIBUTES or (
                name == "value" and tag == "input" and (values.get("type") or "").lower() in BUTTON_INPUTS)
            if human and value and _has_words(value):
                self.gaps.append(Gap(self.path, self.getpos()[0], f'{name}="{value.replace(MARK, "…")}"'))
