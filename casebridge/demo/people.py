"""The agencies and practitioners of the demo world. Every name here is invented.

Two fictional regions: Westmark (BE) and Noordhaven (NL). The personas of the test cast (Petra,
Ivo, Omar, Clara, Xavier, Adam, Dora, Sam …) have the same names and agencies as in the tests, so
the README, the tests and the demo tell one story.
"""

from dataclasses import dataclass

from casebridge.vocabulary import AgencyKind as K, Role as R

# Shared by every demo account and published in the README: demo mode only.
DEMO_PASSWORD = "demo-password-2026"
# One TOTP key for every demo account (base32, for authenticator apps); the README shows it.
DEMO_TOTP_BASE32 = "CASEBRIDGEDEMOSHAREDTOTPKEY23456"


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    kind: str
    country: str
    region: str
    domain: str  # for synthetic e-mail addresses (the reserved .example top-level domain)
    # Highest clearance anyone of the agency may hold (None: the deployment's highest level). Civil-
    # society organisations stop at RESTRICTED: they never hold state secrets.
    ceiling: int | None = None


@dataclass(frozen=True)
class PersonSpec:
    username: str
    first: str
    last: str
    agency: str  # AgencySpec.key
    role: str
    clearance: int
    job_title: str


# The system administrator's agency is created first, without an acting administrator.
HOME = AgencySpec("ict", "Justice ICT Service", K.OTHER, "BE", "National", "justice-ict.example")

AGENCIES = [
    AgencySpec("police", "Westmark Police", K.POLICE, "BE", "Westmark", "police-westmark.example"),
    AgencySpec("prosecution", "Westmark Public Prosecutor's Office", K.PROSECUTION, "BE", "Westmark",
               "prosecutor-westmark.example"),
    AgencySpec("court", "Westmark Court of First Instance", K.COURT, "BE", "Westmark", "court-westmark.example"),
    AgencySpec("prison", "Westmark Prison", K.PRISON, "BE", "Westmark", "prison-westmark.example"),
    AgencySpec("prison2", "Valmont Prison", K.PRISON, "BE", "Valmont", "prison-valmont.example"),
    AgencySpec("probation", "Westmark Probation Service", K.PROBATION, "BE", "Westmark",
               "probation-westmark.example"),
    AgencySpec("security", "State Security Liaison Unit", K.INTELLIGENCE, "BE", "National", "ssl-unit.example"),
    AgencySpec("cso", "Open Door Exit Programme", K.CSO, "BE", "Westmark", "opendoor.example", ceiling=1),
    AgencySpec("cso2", "Bridges Family Support", K.CSO, "BE", "Valmont", "bridges-family.example", ceiling=1),
    AgencySpec("municipality", "City of Westmark", K.MUNICIPALITY, "BE", "Westmark", "westmark-city.example"),
    AgencySpec("social", "Westmark Social Welfare Centre", K.SOCIAL_SERVICES, "BE", "Westmark",
               "welfare-westmark.example"),
    AgencySpec("health", "Westmark Mental Health Centre", K.HEALTH, "BE", "Westmark", "mhc-westmark.example"),
    AgencySpec("housing", "Westmark Housing Office", K.HOUSING, "BE", "Westmark", "housing-westmark.example"),
    AgencySpec("employment", "Westmark Employment Service", K.EMPLOYMENT, "BE", "Westmark",
               "jobs-westmark.example"),
    AgencySpec("mediation", "Westmark Intercultural Mediation Network", K.FAITH_OR_CULTURAL_MEDIATOR, "BE",
               "Westmark", "mediation-westmark.example"),
    AgencySpec("nl_police", "Noordhaven Police", K.POLICE, "NL", "Noordhaven", "politie-noordhaven.example"),
    AgencySpec("nl_prison", "Noordhaven Penitentiary Institution", K.PRISON, "NL", "Noordhaven",
               "pi-noordhaven.example"),
    AgencySpec("nl_probation", "Noordhaven Probation Office", K.PROBATION, "NL", "Noordhaven",
               "reclassering-noordhaven.example"),
    AgencySpec("nl_cso", "Second Chance Exit Foundation", K.CSO, "NL", "Noordhaven", "secondchance.example",
               ceiling=1),
    AgencySpec("nl_municipality", "Municipality of Noordhaven", K.MUNICIPALITY, "NL", "Noordhaven",
               "noordhaven.example"),
]

P = PersonSpec
PEOPLE = [
    # The personas (memorable usernames).
    P("sam", "Sam", "Smets", "ict", R.SYSTEM_ADMIN, 0, "Platform administrator"),
    P("petra", "Petra", "Peeters", "probation", R.COORDINATOR, 2, "Probation officer, extremism unit"),
    P("ivo", "Ivo", "Ivanov", "prison", R.PRACTITIONER, 2, "Prison case manager"),
    P("omar", "Omar", "Osei", "police", R.PRACTITIONER, 3, "Police liaison officer, counter-terrorism"),
    P("clara", "Clara", "Claes", "cso", R.PRACTITIONER, 0, "Exit worker"),
    P("xavier", "Xavier", "Xhaferi", "housing", R.PRACTITIONER, 0, "Housing officer"),
    P("adam", "Adam", "Aerts", "probation", R.AGENCY_ADMIN, 1, "Head of office"),
    P("dora", "Dora", "Dumont", "probation", R.DPO, 1, "Data protection officer"),
    P("nora", "Nora", "Nijs", "probation", R.PRACTITIONER, 1, "Probation officer"),
    P("hugo", "Hugo", "Hendrickx", "prosecution", R.PRACTITIONER, 3, "Prosecutor, terrorism section"),
    P("ines", "Ines", "Vos", "security", R.PRACTITIONER, 3, "Liaison officer"),
    P("mila", "Mila", "Jacobs", "municipality", R.PRACTITIONER, 1, "Local prevention officer"),
    P("lotte", "Lotte", "van Dijk", "nl_probation", R.COORDINATOR, 2, "Probation officer, extremism team"),
    # Colleagues.
    P("lucas.wouters", "Lucas", "Wouters", "probation", R.COORDINATOR, 2, "Senior probation officer"),
    P("elif.kaya", "Elif", "Kaya", "probation", R.PRACTITIONER, 1, "Probation officer"),
    P("jonas.mertens", "Jonas", "Mertens", "prison", R.COORDINATOR, 2, "Head of the deradicalisation wing"),
    P("sofie.janssens", "Sofie", "Janssens", "prison", R.PRACTITIONER, 1, "Psychosocial service"),
    P("marc.dubois", "Marc", "Dubois", "prison", R.AGENCY_ADMIN, 1, "Prison registry manager"),
    P("aline.lambert", "Aline", "Lambert", "prison2", R.COORDINATOR, 2, "Prison case manager"),
    P("thomas.renard", "Thomas", "Renard", "prison2", R.PRACTITIONER, 1, "Psychosocial service"),
    P("karen.vermeulen", "Karen", "Vermeulen", "police", R.PRACTITIONER, 2, "Community police officer"),
    P("bart.goossens", "Bart", "Goossens", "police", R.AGENCY_ADMIN, 2, "Information manager"),
    P("ann.desmet", "Ann", "De Smet", "prosecution", R.PRACTITIONER, 2, "Deputy prosecutor"),
    P("rita.claessens", "Rita", "Claessens", "court", R.PRACTITIONER, 1, "Sentence implementation court clerk"),
    P("pieter.devos", "Pieter", "Devos", "court", R.PRACTITIONER, 1, "Court liaison"),
    P("koen.baert", "Koen", "Baert", "security", R.PRACTITIONER, 3, "Analyst"),
    P("yusuf.demir", "Yusuf", "Demir", "cso", R.PRACTITIONER, 0, "Exit worker"),
    P("leen.dewit", "Leen", "De Wit", "cso", R.AGENCY_ADMIN, 0, "Programme director"),
    P("samira.haddouch", "Samira", "Haddouch", "cso2", R.PRACTITIONER, 0, "Family counsellor"),
    P("tom.verbruggen", "Tom", "Verbruggen", "cso2", R.PRACTITIONER, 0, "Family counsellor"),
    P("dirk.hermans", "Dirk", "Hermans", "municipality", R.PRACTITIONER, 0, "Chair of the local case table"),
    P("laura.michiels", "Laura", "Michiels", "social", R.PRACTITIONER, 0, "Social worker"),
    P("nadia.benali", "Nadia", "Benali", "social", R.PRACTITIONER, 0, "Social worker"),
    P("eva.smet", "Eva", "Smet", "health", R.PRACTITIONER, 1, "Psychiatrist"),
    P("jan.willems", "Jan", "Willems", "health", R.PRACTITIONER, 1, "Clinical psychologist"),
    P("hanne.lemmens", "Hanne", "Lemmens", "housing", R.PRACTITIONER, 0, "Housing officer"),
    P("ruben.maes", "Ruben", "Maes", "employment", R.PRACTITIONER, 0, "Job coach"),
    P("sarah.wuyts", "Sarah", "Wuyts", "employment", R.PRACTITIONER, 0, "Employment counsellor"),
    P("hamid.rahimi", "Hamid", "Rahimi", "mediation", R.PRACTITIONER, 0, "Intercultural mediator"),
    P("joost.bakker", "Joost", "Bakker", "nl_police", R.PRACTITIONER, 2, "Police liaison officer"),
    P("femke.dijkstra", "Femke", "Dijkstra", "nl_police", R.PRACTITIONER, 2, "Detective"),
    P("daan.visser", "Daan", "Visser", "nl_prison", R.COORDINATOR, 2, "Case manager, terrorist wing"),
    P("anouk.smit", "Anouk", "Smit", "nl_prison", R.PRACTITIONER, 1, "Case manager"),
    P("bram.mulder", "Bram", "Mulder", "nl_probation", R.PRACTITIONER, 1, "Probation officer"),
    P("ilse.bos", "Ilse", "Bos", "nl_probation", R.AGENCY_ADMIN, 1, "Team manager"),
    P("mehmet.yildiz", "Mehmet", "Yildiz", "nl_cso", R.PRACTITIONER, 0, "Exit mentor"),
    P("sanne.deboer", "Sanne", "de Boer", "nl_cso", R.PRACTITIONER, 0, "Exit mentor"),
    P("kees.meijer", "Kees", "Meijer", "nl_municipality", R.PRACTITIONER, 1, "Safety house coordinator"),
    # Administrators who sign the sharing agreements for their agencies (casebridge.demo.agreements).
    P("jules.martin", "Jules", "Martin", "prison2", R.AGENCY_ADMIN, 1, "Registry manager"),
    P("greet.vandamme", "Greet", "Van Damme", "cso2", R.AGENCY_ADMIN, 0, "Director"),
    P("wim.coppens", "Wim", "Coppens", "municipality", R.AGENCY_ADMIN, 0, "Head of the prevention service"),
    P("els.verhoeven", "Els", "Verhoeven", "housing", R.AGENCY_ADMIN, 0, "Head of housing allocation"),
    P("filip.debacker", "Filip", "De Backer", "employment", R.AGENCY_ADMIN, 0, "Team leader"),
    P("marie.lejeune", "Marie", "Lejeune", "health", R.AGENCY_ADMIN, 1, "Medical director"),
    P("vincent.leroy", "Vincent", "Leroy", "security", R.AGENCY_ADMIN, 1, "Head of liaison"),
    P("peter.dejong", "Peter", "de Jong", "nl_prison", R.AGENCY_ADMIN, 1, "Head of security"),
    P("marloes.jansen", "Marloes", "Jansen", "nl_police", R.AGENCY_ADMIN, 1, "Information officer"),
    P("fleur.kok", "Fleur", "Kok", "nl_cso", R.AGENCY_ADMIN, 0, "Programme manager"),
    P("joris.dekker", "Joris", "Dekker", "nl_municipality", R.AGENCY_ADMIN, 0, "Head of public safety"),
]

# The administrator who signs sharing agreements for each agency.
SIGNATORIES = {
    "police": "bart.goossens", "prison": "marc.dubois", "prison2": "jules.martin", "probation": "adam",
    "cso": "leen.dewit", "cso2": "greet.vandamme", "municipality": "wim.coppens", "housing": "els.verhoeven",
    "employment": "filip.debacker", "health": "marie.lejeune", "security": "vincent.leroy",
    "nl_prison": "peter.dejong", "nl_police": "marloes.jansen", "nl_probation": "ilse.bos", "nl_cso": "fleur.kok",
    "nl_municipality": "joris.dekker",
}

@dataclass(frozen=True)
class ServiceAccountSpec:
    username: str
    system: str
    agency: str  # AgencySpec.key
    created_by: str  # an administrator of that agency; they also issue its tokens


# A system integration with an account of its own: no web sign-in, API tokens only. The demo issues
# no token for it (a token's secret is shown once, to the administrator who issues it).
SERVICE_ACCOUNTS = [
    ServiceAccountSpec("probation-register-sync", "Probation case register sync", "probation", "adam"),
]

PERSONAS = ["petra", "ivo", "omar", "clara", "xavier", "adam", "dora", "sam"]


# The data protection contacts each agency's administrator keeps, named in the client's transparency
# notice. Invented addresses on the reserved .example domain; the authorities are named as the kind
# of body a client complains to in each country (police information has its own supervisor in Belgium).
AUTHORITIES = {
    ("BE", "general"): "Data Protection Authority (Belgium)\n1 Example Square, 1000 Brussels\n"
                       "complaints@dpa-belgium.example",
    ("BE", K.POLICE): "Supervisory Body for Police Information (Belgium)\n2 Example Square, 1000 Brussels\n"
                      "complaints@police-information-supervisor.example",
    ("NL", "general"): "Dutch Data Protection Authority\nPostbus 00001, 2500 AA Den Haag\n"
                       "klachten@dpa-netherlands.example",
}
# Where the controller is not the agency itself, but the body it belongs to.
CONTROLLERS = {
    ("BE", K.PRISON): "Federal Public Service Justice – Directorate-General of Penitentiary Institutions",
    ("NL", K.PRISON): "Ministry of Justice and Security – Custodial Institutions Agency",
}


def data_protection(spec: AgencySpec, number: int) -> dict:
    """The agency's controller, DPO and supervisory authority contacts, as its administrator records them."""
    street = f"{10 + number} {spec.region} Road, {spec.region}"
    return {
        "controller_name": CONTROLLERS.get((spec.country, spec.kind), ""),
        "controller_contact": f"{street}\ninfo@{spec.domain}",
        "dpo_contact": f"Data protection officer, {spec.name}\n{street}\ndpo@{spec.domain}",
        "supervisory_authority": AUTHORITIES.get((spec.country, spec.kind), AUTHORITIES[(spec.country, "general")]),
    }
