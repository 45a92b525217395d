"""Enumerations shared by several apps. Each has one definition, here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """Why a practitioner is processing case data. Recorded on every audit event."""

    CASE_MANAGEMENT = "case_management", _("Case management")
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")
    RELEASE_PLANNING = "release_planning", _("Release planning")
    SUPERVISION = "supervision", _("Supervision")
    CASE_CONFERENCE = "case_conference", _("Case conference")
    REINTEGRATION_SUPPORT = "reintegration_support", _("Reintegration support")
    ADMINISTRATION = "administration", _("Administration")
    DATA_PROTECTION = "data_protection", _("Data protection oversight")


def classification_choices() -> list[tuple[int, str]]:
    """Classification levels as (rank, label), lowest first; labels are per deployment."""
    from django.conf import settings

    return list(enumerate(settings.CASEBRIDGE_CLASSIFICATION_LABELS))


def classification_label(rank: int) -> str:
    from django.conf import settings

    labels = settings.CASEBRIDGE_CLASSIFICATION_LABELS
    return labels[rank] if 0 <= rank < len(labels) else f"LEVEL {rank}"


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police")
    PROSECUTION = "prosecution", _("Prosecution")
    COURT = "court", _("Court")
    PRISON = "prison", _("Prison")
    PROBATION = "probation", _("Probation")
    INTELLIGENCE = "intelligence", _("Intelligence / security service")
    CSO = "cso", _("Civil-society organisation")
    MUNICIPALITY = "municipality", _("Municipality")
    SOCIAL_SERVICES = "social_services", _("Social services")
    HEALTH = "health", _("Health / mental health")
    HOUSING = "housing", _("Housing")
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", _("Education")
    FAITH_OR_CULTURAL_MEDIATOR = "faith_or_cultural_mediator", _("Faith or cultural mediator")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    COORDINATOR = "coordinator", _("Case coordinator")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    DPO = "dpo", _("Data protection officer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Category(models.TextChoices):
    """What an information item is about (DESIGN.md §3)."""

    IDENTITY_AND_STATUS = "identity_and_status", _("Identity and status")
    OFFENCE_AND_SENTENCE = "offence_and_sentence", _("Offence and sentence")
    RISK_AND_NEEDS_ASSESSMENT = "risk_and_needs_assessment", _("Risk and needs assessment")
    CUSTODY_BEHAVIOUR_AND_SECURITY = "custody_behaviour_and_security", _("Custody behaviour and security")
    INTELLIGENCE = "intelligence", _("Intelligence")
    HEALTH_AND_MENTAL_HEALTH = "health_and_mental_health", _("Health and mental health")
    FAMILY_AND_SOCIAL_NETWORK = "family_and_social_network", _("Family and social network")
    PROGRAMME_AND_INTERVENTION = "programme_and_intervention", _("Programme and intervention")
    ONLINE_ACTIVITY = "online_activity", _("Online activity")
    HOUSING_EMPLOYMENT_EDUCATION = "housing_employment_education", _("Housing, employment and education")
    LEGAL_AND_RESIDENCY = "legal_and_residency", _("Legal and residency")
    CONFERENCE_RECORD = "conference_record", _("Conference record")
