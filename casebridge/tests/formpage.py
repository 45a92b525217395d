"""Reading a page's error pattern back in tests: its title, its error summary (each entry's link and
text) and the message shown next to each field, parsed with the standard library's HTML parser."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)
    parent: "Node | None" = None

    @property
    def text(self) -> str:
        return " ".join("".join(c if isinstance(c, str) else c.text for c in self.children).split())

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.here = Node("#document", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), parent=self.here)
        self.here.children.append(node)
        if tag not in VOID:
            self.here = node

    def handle_endtag(self, tag):
        node = self.here
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.here = node.parent

    def handle_data(self, data):
        self.here.children.append(data)


@dataclass
class FormPage:
    """What a page says about its form's errors."""

    title: str
    summary: list[tuple[str | None, str]]  # (href, text) of each entry of the error summaries
    summaries: int
    nodes: list

    def field_error(self, input_id: str) -> str:
        """The message next to a field (the element `{id}_error`); "" when there is none."""
        return next((n.text for n in self.nodes if n.attrs.get("id") == f"{input_id}_error"), "")

    def has_input(self, input_id: str) -> bool:
        return any(n.attrs.get("id") == input_id for n in self.nodes)

    def links(self) -> dict[str, list[str]]:
        """{href: [texts]} of the summary's entries that link to a field."""
        found: dict[str, list[str]] = {}
        for href, text in self.summary:
            if href:
                found.setdefault(href, []).append(text)
        return found


def read(response) -> FormPage:
    builder = _Builder()
    builder.feed(response.content.decode())
    nodes = list(builder.root.walk())
    summaries = [n for n in nodes if "data-error-summary" in n.attrs]
    entries = []
    for summary in summaries:
        for item in (n for n in summary.walk() if n.tag == "li"):
            link = next((n for n in item.walk() if n.tag == "a"), None)
            entries.append((link.attrs.get("href") if link else None, item.text))
    title = next((n.text for n in nodes if n.tag == "title"), "")
    return FormPage(title, entries, len(summaries), nodes)
