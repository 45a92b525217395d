"""Progress over sessions: per group of factors, how many are resources and how many challenges after
each session (a factor not rated in a session keeps its last rating), drawn and tabulated."""

from django.utils.translation import gettext as _

from casebridge import charts
from casebridge.reflector.factors import GROUPS, Valence


def table(view) -> list[dict]:
    """One row per readable session: its number and date, and per group (resources, challenges)."""
    rows, latest = [], {}
    for seen in view.sessions:
        latest.update(seen.ratings)
        counts = []
        for group in GROUPS:
            rated = [latest[code] for code, _name in group.factors if code in latest]
            counts.append((group, sum(r.valence == Valence.RESOURCE for r in rated),
                           sum(r.valence == Valence.CHALLENGE for r in rated)))
        rows.append({"session": seen.session, "position": seen.position, "groups": counts})
    return rows


def chart(view) -> str:
    """Lines of (resources − challenges) per group over the sessions: up is movement towards distance."""
    rows = table(view)
    widest = max(len(group.factors) for group in GROUPS)
    return charts.numbered_lines(
        title=_("Resources minus challenges per group, session by session"),
        x_labels=[_("Session %(n)d") % {"n": row["position"]} for row in rows],
        series={str(group.name): [row["groups"][i][1] - row["groups"][i][2] for row in rows]
                for i, group in enumerate(GROUPS)},
        y_labels=[(-widest, str(-widest)), (0, "0"), (widest, str(widest))], range_=(-widest, widest))
