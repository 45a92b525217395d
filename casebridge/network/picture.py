"""Where each tie goes in the network picture, computed on the server so the picture needs no script.

The client sits in the centre; the current ties are placed on a circle around them, grouped by
relation (in the order of `Relation`) with a gap between groups. Stance is shown three ways, so
the picture does not rely on colour: a colour, a node shape (circle, diamond, square) and a line
pattern (solid, dashed, dotted). Strength is the line's width. The template draws the SVG with
presentation attributes only (the site's CSP forbids inline styles).
"""

import math
from dataclasses import dataclass

from casebridge.network.models import Relation, Stance, Strength

SIZE = 640
CENTRE = SIZE // 2
RADIUS = 220
NODE = 16
LABEL_LENGTH = 24

COLOURS = {Stance.SUPPORTIVE: "#1a7f37", Stance.AMBIVALENT: "#9a6700", Stance.OPPOSING: "#cf222e"}
DASHES = {Stance.SUPPORTIVE: "none", Stance.AMBIVALENT: "10 6", Stance.OPPOSING: "3 5"}
WIDTHS = {1: 2, 2: 4, 3: 7}
SHAPES = {Stance.SUPPORTIVE: "circle", Stance.AMBIVALENT: "diamond", Stance.OPPOSING: "square"}


@dataclass(frozen=True)
class Node:
    """One tie in the picture: its reading, where it is, how it is drawn."""

    reading: object
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str
    colour: str
    dash: str
    width: int
    shape: str  # the stance's shape: circle, diamond or square
    points: str  # the diamond's corners ("" for the others)
    left: float  # the square's corner
    top: float
    label: str


def _short(name: str) -> str:
    return name if len(name) <= LABEL_LENGTH else f"{name[:LABEL_LENGTH - 1]}…"


def _slots(readings) -> list[tuple[object, int]]:
    """The readings in relation order, each with its slot on the circle; one empty slot between groups."""
    order = {value: i for i, value in enumerate(Relation.values)}
    ranked = sorted(readings, key=lambda r: (order.get(r.tie.relation, len(order)), r.tie.pk))
    slots, slot, previous = [], 0, None
    for reading in ranked:
        if previous is not None and reading.tie.relation != previous:
            slot += 1
        slots.append((reading, slot))
        slot, previous = slot + 1, reading.tie.relation
    return slots


def _diamond(x: float, y: float, r: float = NODE + 3) -> str:
    return f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"


def layout(readings) -> list[Node]:
    """The nodes of the current ties among `readings`, placed around the centre."""
    current = [r for r in readings if r.tie.current]
    slots = _slots(current)
    total = max((slot for _r, slot in slots), default=0) + 1
    nodes = []
    for reading, slot in slots:
        angle = -math.pi / 2 + 2 * math.pi * slot / max(total, 1)
        x, y = CENTRE + RADIUS * math.cos(angle), CENTRE + RADIUS * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        offset = NODE + 8
        label_x = x + (offset if anchor == "start" else -offset if anchor == "end" else 0)
        label_y = y + (0 if anchor != "middle" else (offset + 8 if math.sin(angle) > 0 else -offset - 14))
        stance = reading.tie.stance
        shape = SHAPES[stance]
        nodes.append(Node(reading, round(x, 1), round(y, 1), round(label_x, 1), round(label_y, 1), anchor,
                          COLOURS[stance], DASHES[stance], WIDTHS[reading.tie.strength], shape,
                          _diamond(x, y) if shape == "diamond" else "", round(x - NODE + 1, 1), round(y - NODE + 1, 1),
                          _short(reading.name)))
    return nodes


def legend() -> dict:
    """The legend's rows, 28 units apart: one per stance (colour, shape, line), one per strength (width)."""
    stances = [{"label": stance.label, "colour": COLOURS[stance], "dash": DASHES[stance], "shape": SHAPES[stance],
                "y": 20 + 28 * i, "points": _diamond(20, 20 + 28 * i, 9)} for i, stance in enumerate(Stance)]
    strengths = [{"label": strength.label, "width": WIDTHS[strength.value], "y": 20 + 28 * (len(stances) + i)}
                 for i, strength in enumerate(Strength)]
    return {"stances": stances, "strengths": strengths, "height": 28 * (len(stances) + len(strengths)) + 8}
