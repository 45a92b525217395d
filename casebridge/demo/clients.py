"""The synthetic clients of the demo world.

Invented people only: the names are common given and family names put together by hand and
checked against well-known cases, so no client stands for a real offender. Backgrounds and
ideologies are deliberately varied (jihadist, violent right-wing, accelerationist, anti-government,
left-wing), as in the caseloads the RAN papers describe.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ClientSpec:
    given: str
    family: str
    born: date
    nationalities: tuple[str, ...]
    languages: tuple[str, ...]
    residency: str
    offence: str  # key of OFFENCES
    country: str = "BE"  # where the case runs
    aliases: tuple[str, ...] = ()
    residency_note: str = ""
    family_focus: bool = field(default=False)  # family support is part of the plan


OFFENCES = {
    "propaganda": ("Jihadist-inspired", "participation in the activities of a terrorist group "
                   "(online propaganda and recruitment)"),
    "returnee": ("Jihadist-inspired", "participation in a terrorist group after travel to a conflict zone; "
                 "returned in a repatriation operation"),
    "preparation": ("Jihadist-inspired", "preparation of a terrorist offence (instructions for explosives, "
                    "reconnaissance photographs)"),
    "financing": ("Jihadist-inspired", "financing of terrorism through small transfers to a foreign group"),
    "right_wing": ("Violent right-wing extremist", "possession of weapons and membership of a group that "
                   "planned attacks on a mosque and a politician"),
    "accelerationist": ("Accelerationist (online)", "incitement to terrorism and distribution of an attack "
                        "manual in online groups"),
    "anti_government": ("Anti-government extremist", "threats against public officials and illegal possession "
                        "of firearms"),
    "left_wing": ("Violent left-wing extremist", "arson attacks on infrastructure claimed as political action"),
    "mixed": ("Mixed or unclear ideology", "threats to commit a terrorist offence against a school; fixation "
              "on previous attackers"),
}

C = ClientSpec
CLIENTS = [
    C("Jonas", "Verstraete", date(1991, 4, 12), ("BE",), ("nl",), "citizen", "right_wing"),
    C("Rayan", "Bouzidi", date(1996, 9, 3), ("BE", "MA"), ("fr", "ar"), "citizen", "propaganda",
      aliases=("Abu Rayan",)),
    C("Kevin", "Lemaire", date(2002, 1, 27), ("BE",), ("fr",), "citizen", "accelerationist",
      aliases=("k_lmr",)),
    C("Amina", "Tahiri", date(1993, 6, 18), ("BE", "MA"), ("nl", "ar", "fr"), "citizen", "returnee",
      family_focus=True),
    C("Emir", "Hodžić", date(1987, 11, 2), ("BA",), ("bs", "nl"), "permanent_resident", "financing"),
    C("Adlan", "Idrisov", date(1990, 2, 9), ("RU",), ("ru", "ce"), "refugee", "preparation",
      aliases=("Адлан Идрисов",),
      residency_note="Recognised refugee since 2012; the immigration office reviews the status after conviction."),
    C("Yasmine", "El Ouardi", date(1998, 8, 30), ("BE",), ("fr", "ar"), "citizen", "propaganda"),
    C("Dylan", "Maes", date(2000, 5, 5), ("BE",), ("nl",), "citizen", "right_wing"),
    C("Ahmad", "Rahmani", date(2001, 12, 1), ("AF",), ("fa", "ps"), "asylum_seeker", "propaganda",
      residency_note="Asylum application suspended pending the criminal case."),
    C("Bilal", "Saidi", date(1989, 3, 22), ("BE", "TN"), ("fr", "ar"), "citizen", "preparation"),
    C("Mehdi", "Belkacem", date(1984, 7, 14), ("DZ",), ("fr", "ar"), "deportation_order", "returnee",
      residency_note="Belgian nationality withdrawn in 2023. Deportation order to Algeria, execution "
                     "suspended while the non-refoulement review is pending."),
    C("Sven", "De Clercq", date(1979, 10, 8), ("BE",), ("nl",), "citizen", "anti_government"),
    C("Hamza", "Oukili", date(1995, 1, 16), ("MA",), ("ar", "fr", "nl"), "deportation_order", "propaganda",
      residency_note="Residence permit withdrawn after conviction; deportation order to Morocco to be "
                     "executed at the end of the sentence. Release planning covers both scenarios."),
    C("Marko", "Jovanović", date(1986, 4, 29), ("RS",), ("sr", "de", "nl"), "temporary_permit", "right_wing"),
    C("Abdi", "Warsame", date(1997, 9, 12), ("SO",), ("so", "nl", "en"), "refugee", "financing"),
    C("Lukas", "Nowak", date(1994, 6, 6), ("PL",), ("pl", "nl"), "permanent_resident", "accelerationist"),
    # His name as he writes it, in Arabic script: the PDFs the client receives must print it as written.
    C("Tariq", "Mansour", date(1988, 2, 17), ("SY",), ("ar",), "refugee", "preparation",
      aliases=("طارق منصور",)),
    C("Ilyas", "Aydin", date(1999, 10, 23), ("BE", "TR"), ("tr", "nl"), "citizen", "propaganda"),
    C("Sara", "Van Acker", date(1992, 3, 3), ("BE",), ("nl", "fr"), "citizen", "returnee", family_focus=True,
      aliases=("Umm Yusuf",)),
    C("Mathis", "Collard", date(2003, 8, 19), ("BE",), ("fr",), "citizen", "left_wing"),
    C("Samir", "Haddad", date(1983, 5, 25), ("IQ",), ("ar", "ckb"), "deportation_order", "financing",
      residency_note="Deportation order to Iraq suspended: appeal on the risk of ill-treatment pending."),
    C("Reda", "Chaouki", date(1997, 12, 9), ("BE", "MA"), ("fr", "ar"), "citizen", "mixed"),
    C("Mustafa", "Yilmaz", date(1981, 9, 1), ("TR",), ("tr", "nl"), "permanent_resident", "financing"),
    C("Patrick", "Mbala", date(1990, 11, 30), ("BE", "CD"), ("fr", "ln"), "citizen", "propaganda"),
    C("Anton", "Keller", date(1985, 1, 4), ("DE",), ("de", "nl"), "temporary_permit", "anti_government"),
    C("Zakaria", "Lamrani", date(2004, 4, 14), ("BE",), ("fr", "ar", "nl"), "citizen", "mixed",
      family_focus=True),
    C("Imran", "Qureshi", date(1982, 8, 8), ("PK",), ("ur", "en"), "permanent_resident", "preparation"),
    C("Elias", "Van den Broeck", date(2005, 2, 21), ("BE",), ("nl",), "citizen", "accelerationist",
      family_focus=True),
    C("Daan", "Hoekstra", date(1993, 7, 11), ("NL",), ("nl",), "citizen", "right_wing", country="NL"),
    C("Soufiane", "Ben Ali", date(1995, 3, 28), ("NL", "MA"), ("nl", "ar"), "citizen", "propaganda",
      country="NL"),
    C("Khadija", "Bennani", date(1991, 10, 2), ("NL", "MA"), ("nl", "ar"), "citizen", "returnee",
      country="NL", family_focus=True),
    C("Jordy", "Willemsen", date(2001, 6, 15), ("NL",), ("nl", "en"), "citizen", "accelerationist",
      country="NL"),
    C("Ruud", "Kramer", date(1976, 12, 19), ("NL",), ("nl",), "citizen", "anti_government", country="NL"),
    C("Nabil", "Azzouz", date(1988, 4, 7), ("MA",), ("ar", "nl"), "deportation_order", "preparation",
      country="NL", residency_note="Residence permit revoked; declared an undesirable alien. Return to "
                                   "Morocco planned at the end of the sentence."),
]
