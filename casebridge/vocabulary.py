"""Enumerations shared by several apps. Each has one definition, here."""

from django.db import models


class Purpose(models.TextChoices):
    """Why a practitioner is processing case data. Recorded on every audit event."""

    CASE_MANAGEMENT = "case_management", "Case management"
    RISK_ASSESSMENT = "risk_assessment", "Risk assessment"
    RELEASE_PLANNING = "release_planning", "Release planning"
    SUPERVISION = "supervision", "Supervision"
    CASE_CONFERENCE = "case_conference", "Case conference"
    REINTEGRATION_SUPPORT = "reintegration_support", "Reintegration support"
    ADMINISTRATION = "administration", "Administration"
    DATA_PROTECTION = "data_protection", "Data protection oversight"


def classification_choices() -> list[tuple[int, str]]:
    """Classification levels as (rank, label), lowest first; labels are per deployment."""
    from django.conf import settings

    return list(enumerate(settings.CASEBRIDGE_CLASSIFICATION_LABELS))


def classification_label(rank: int) -> str:
    from django.conf import settings

    labels = settings.CASEBRIDGE_CLASSIFICATION_LABELS
    return labels[rank] if 0 <= rank < len(labels) else f"LEVEL {rank}"


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    PROSECUTION = "prosecution", "Prosecution"
    COURT = "court", "Court"
    PRISON = "prison", "Prison"
    PROBATION = "probation", "Probation"
    INTELLIGENCE = "intelligence", "Intelligence / security service"
    CSO = "cso", "Civil-society organisation"
    MUNICIPALITY = "municipality", "Municipality"
    SOCIAL_SERVICES = "social_services", "Social services"
    HEALTH = "health", "Health / mental health"
    HOUSING = "housing", "Housing"
    EMPLOYMENT = "employment", "Employment"
    EDUCATION = "education", "Education"
    FAITH_OR_CULTURAL_MEDIATOR = "faith_or_cultural_mediator", "Faith or cultural mediator"
    OTHER = "other", "Other"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    COORDINATOR = "coordinator", "Case coordinator"
    AGENCY_ADMIN = "agency_admin", "Agency administrator"
    DPO = "dpo", "Data protection officer"
    SYSTEM_ADMIN = "system_admin", "System administrator"


class Category(models.TextChoices):
    """What an information item is about (DESIGN.md §3)."""

    IDENTITY_AND_STATUS = "identity_and_status", "Identity and status"
    OFFENCE_AND_SENTENCE = "offence_and_sentence", "Offence and sentence"
    RISK_AND_NEEDS_ASSESSMENT = "risk_and_needs_assessment", "Risk and needs assessment"
    CUSTODY_BEHAVIOUR_AND_SECURITY = "custody_behaviour_and_security", "Custody behaviour and security"
    INTELLIGENCE = "intelligence", "Intelligence"
    HEALTH_AND_MENTAL_HEALTH = "health_and_mental_health", "Health and mental health"
    FAMILY_AND_SOCIAL_NETWORK = "family_and_social_network", "Family and social network"
    PROGRAMME_AND_INTERVENTION = "programme_and_intervention", "Programme and intervention"
    ONLINE_ACTIVITY = "online_activity", "Online activity"
    HOUSING_EMPLOYMENT_EDUCATION = "housing_employment_education", "Housing, employment and education"
    LEGAL_AND_RESIDENCY = "legal_and_residency", "Legal and residency"
    CONFERENCE_RECORD = "conference_record", "Conference record"
