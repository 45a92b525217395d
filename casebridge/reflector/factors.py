"""The DesistKit CaseReflector's 29 distancing factors in their four groups, and the scales a session
rates each factor on. Codes are stable (stored with each rating); names are for people and translated."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    factors: tuple[tuple[str, str], ...]  # (code, name)


GROUPS = (
    Group("relationship", _("Relationship and belonging"), (
        ("family_of_origin", _("Family of origin")), ("partnership_children", _("Partnership and children")),
        ("friends", _("Friends")), ("community", _("Community")), ("support_services", _("Support services")))),
    Group("development", _("Individual development"), (
        ("motivation_to_join", _("Motivation to join")), ("motivation_to_leave", _("Motivation to leave")),
        ("personality_traits", _("Personality traits")), ("reflectivity", _("Reflectivity")),
        ("identity", _("Identity")), ("emotions", _("Emotions")), ("beliefs_values", _("Beliefs and values")),
        ("wellbeing", _("Wellbeing")), ("gender_lens", _("Gender lens")), ("appearance", _("Appearance")))),
    Group("practical", _("Practical life"), (
        ("home_environment", _("Home environment")), ("education_training", _("Educational and vocational training")),
        ("employment", _("Employment")), ("financial_situation", _("Financial situation")),
        ("leisure", _("Leisure and joyful activities")), ("online_life", _("Online life")))),
    Group("challenges", _("Challenges"), (
        ("retaliation", _("Retaliation")), ("scene_contact", _("Contact with scene members")),
        ("substances", _("Alcohol and substance consumption")), ("losses", _("Losses")),
        ("administrative_hurdles", _("Administrative hurdles")), ("crime_violence", _("Crime and violence")),
        ("stigmatisation", _("Stigmatisation")), ("prosecution_imprisonment", _("Prosecution and imprisonment")))),
)
FACTORS: dict[str, tuple[Group, str]] = {code: (group, name) for group in GROUPS for code, name in group.factors}


def factor_name(code: str) -> str:
    return str(FACTORS[code][1]) if code in FACTORS else code


class Knowledge(models.TextChoices):
    KNOWN = "known", _("Known")
    SUSPECTED = "suspected", _("Suspected")
    UNKNOWN = "unknown", _("Still unknown")


class Valence(models.TextChoices):
    RESOURCE = "resource", _("Resource")
    NEUTRAL = "neutral", _("Neither")
    CHALLENGE = "challenge", _("Challenge")


class Priority(models.IntegerChoices):
    NONE = 0, _("Not now")
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Agreed, not started")
    IN_PROGRESS = "in_progress", _("In progress")
    REACHED = "reached", _("Reached")
    DROPPED = "dropped", _("Set aside")
