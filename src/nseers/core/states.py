"""The three-letter codes an MRZ may carry for the issuing state or organization and for the
holder's nationality: ICAO Doc 9303 Part 3 (Specifications Common to all MRTDs), Section 5,
"Three-letter codes".

The table is data, in one place: every ISO 3166-1 alpha-3 code (Doc 9303 Part 3 adopts
them), and the codes Doc 9303 Part 3 adds for states, territories and organizations that
ISO 3166-1 does not cover (Germany's ``D``, the five classes of British nationals, the United
Nations, the European Union, stateless persons and refugees). In the MRZ a code shorter than
three letters is padded with fillers, so Germany is written ``D<<``.
"""

from __future__ import annotations

from typing import Final

#: ISO 3166-1 alpha-3, as adopted by ICAO Doc 9303 Part 3, Section 5.
ISO_3166_ALPHA3: Final[dict[str, str]] = {
    "ABW": "Aruba", "AFG": "Afghanistan", "AGO": "Angola", "AIA": "Anguilla",
    "ALA": "Åland Islands", "ALB": "Albania", "AND": "Andorra",
    "ARE": "United Arab Emirates", "ARG": "Argentina", "ARM": "Armenia",
    "ASM": "American Samoa", "ATA": "Antarctica", "ATF": "French Southern Territories",
    "ATG": "Antigua and Barbuda", "AUS": "Australia", "AUT": "Austria", "AZE": "Azerbaijan",
    "BDI": "Burundi", "BEL": "Belgium", "BEN": "Benin",
    "BES": "Bonaire, Sint Eustatius and Saba", "BFA": "Burkina Faso", "BGD": "Bangladesh",
    "BGR": "Bulgaria", "BHR": "Bahrain", "BHS": "Bahamas", "BIH": "Bosnia and Herzegovina",
    "BLM": "Saint Barthélemy", "BLR": "Belarus", "BLZ": "Belize", "BMU": "Bermuda",
    "BOL": "Bolivia", "BRA": "Brazil", "BRB": "Barbados", "BRN": "Brunei Darussalam",
    "BTN": "Bhutan", "BVT": "Bouvet Island", "BWA": "Botswana",
    "CAF": "Central African Republic", "CAN": "Canada", "CCK": "Cocos (Keeling) Islands",
    "CHE": "Switzerland", "CHL": "Chile", "CHN": "China", "CIV": "Côte d'Ivoire",
    "CMR": "Cameroon", "COD": "Congo, Democratic Republic of the", "COG": "Congo",
    "COK": "Cook Islands", "COL": "Colombia", "COM": "Comoros", "CPV": "Cabo Verde",
    "CRI": "Costa Rica", "CUB": "Cuba", "CUW": "Curaçao", "CXR": "Christmas Island",
    "CYM": "Cayman Islands", "CYP": "Cyprus", "CZE": "Czechia", "DEU": "Germany",
    "DJI": "Djibouti", "DMA": "Dominica", "DNK": "Denmark", "DOM": "Dominican Republic",
    "DZA": "Algeria", "ECU": "Ecuador", "EGY": "Egypt", "ERI": "Eritrea",
    "ESH": "Western Sahara", "ESP": "Spain", "EST": "Estonia", "ETH": "Ethiopia",
    "FIN": "Finland", "FJI": "Fiji", "FLK": "Falkland Islands (Malvinas)", "FRA": "France",
    "FRO": "Faroe Islands", "FSM": "Micronesia, Federated States of", "GAB": "Gabon",
    "GBR": "United Kingdom of Great Britain and Northern Ireland", "GEO": "Georgia",
    "GGY": "Guernsey", "GHA": "Ghana", "GIB": "Gibraltar", "GIN": "Guinea",
    "GLP": "Guadeloupe", "GMB": "Gambia", "GNB": "Guinea-Bissau", "GNQ": "Equatorial Guinea",
    "GRC": "Greece", "GRD": "Grenada", "GRL": "Greenland", "GTM": "Guatemala",
    "GUF": "French Guiana", "GUM": "Guam", "GUY": "Guyana", "HKG": "Hong Kong",
    "HMD": "Heard Island and McDonald Islands", "HND": "Honduras", "HRV": "Croatia",
    "HTI": "Haiti", "HUN": "Hungary", "IDN": "Indonesia", "IMN": "Isle of Man",
    "IND": "India", "IOT": "British Indian Ocean Territory", "IRL": "Ireland",
    "IRN": "Iran (Islamic Republic of)", "IRQ": "Iraq", "ISL": "Iceland", "ISR": "Israel",
    "ITA": "Italy", "JAM": "Jamaica", "JEY": "Jersey", "JOR": "Jordan", "JPN": "Japan",
    "KAZ": "Kazakhstan", "KEN": "Kenya", "KGZ": "Kyrgyzstan", "KHM": "Cambodia",
    "KIR": "Kiribati", "KNA": "Saint Kitts and Nevis", "KOR": "Korea, Republic of",
    "KWT": "Kuwait", "LAO": "Lao People's Democratic Republic", "LBN": "Lebanon",
    "LBR": "Liberia", "LBY": "Libya", "LCA": "Saint Lucia", "LIE": "Liechtenstein",
    "LKA": "Sri Lanka", "LSO": "Lesotho", "LTU": "Lithuania", "LUX": "Luxembourg",
    "LVA": "Latvia", "MAC": "Macao", "MAF": "Saint Martin (French part)", "MAR": "Morocco",
    "MCO": "Monaco", "MDA": "Moldova, Republic of", "MDG": "Madagascar", "MDV": "Maldives",
    "MEX": "Mexico", "MHL": "Marshall Islands", "MKD": "North Macedonia", "MLI": "Mali",
    "MLT": "Malta", "MMR": "Myanmar", "MNE": "Montenegro", "MNG": "Mongolia",
    "MNP": "Northern Mariana Islands", "MOZ": "Mozambique", "MRT": "Mauritania",
    "MSR": "Montserrat", "MTQ": "Martinique", "MUS": "Mauritius", "MWI": "Malawi",
    "MYS": "Malaysia", "MYT": "Mayotte", "NAM": "Namibia", "NCL": "New Caledonia",
    "NER": "Niger", "NFK": "Norfolk Island", "NGA": "Nigeria", "NIC": "Nicaragua",
    "NIU": "Niue", "NLD": "Netherlands", "NOR": "Norway", "NPL": "Nepal", "NRU": "Nauru",
    "NZL": "New Zealand", "OMN": "Oman", "PAK": "Pakistan", "PAN": "Panama",
    "PCN": "Pitcairn", "PER": "Peru", "PHL": "Philippines", "PLW": "Palau",
    "PNG": "Papua New Guinea", "POL": "Poland", "PRI": "Puerto Rico",
    "PRK": "Korea, Democratic People's Republic of", "PRT": "Portugal", "PRY": "Paraguay",
    "PSE": "Palestine, State of", "PYF": "French Polynesia", "QAT": "Qatar",
    "REU": "Réunion", "ROU": "Romania", "RUS": "Russian Federation", "RWA": "Rwanda",
    "SAU": "Saudi Arabia", "SDN": "Sudan", "SEN": "Senegal", "SGP": "Singapore",
    "SGS": "South Georgia and the South Sandwich Islands",
    "SHN": "Saint Helena, Ascension and Tristan da Cunha", "SJM": "Svalbard and Jan Mayen",
    "SLB": "Solomon Islands", "SLE": "Sierra Leone", "SLV": "El Salvador",
    "SMR": "San Marino", "SOM": "Somalia", "SPM": "Saint Pierre and Miquelon",
    "SRB": "Serbia", "SSD": "South Sudan", "STP": "Sao Tome and Principe",
    "SUR": "Suriname", "SVK": "Slovakia", "SVN": "Slovenia", "SWE": "Sweden",
    "SWZ": "Eswatini", "SXM": "Sint Maarten (Dutch part)", "SYC": "Seychelles",
    "SYR": "Syrian Arab Republic", "TCA": "Turks and Caicos Islands", "TCD": "Chad",
    "TGO": "Togo", "THA": "Thailand", "TJK": "Tajikistan", "TKL": "Tokelau",
    "TKM": "Turkmenistan", "TLS": "Timor-Leste", "TON": "Tonga",
    "TTO": "Trinidad and Tobago", "TUN": "Tunisia", "TUR": "Türkiye", "TUV": "Tuvalu",
    "TWN": "Taiwan, Province of China", "TZA": "Tanzania, United Republic of",
    "UGA": "Uganda", "UKR": "Ukraine", "UMI": "United States Minor Outlying Islands",
    "URY": "Uruguay", "USA": "United States of America", "UZB": "Uzbekistan",
    "VAT": "Holy See", "VCT": "Saint Vincent and the Grenadines", "VEN": "Venezuela",
    "VGB": "Virgin Islands (British)", "VIR": "Virgin Islands (U.S.)", "VNM": "Viet Nam",
    "VUT": "Vanuatu", "WLF": "Wallis and Futuna", "WSM": "Samoa", "YEM": "Yemen",
    "ZAF": "South Africa", "ZMB": "Zambia", "ZWE": "Zimbabwe",
}

#: Codes Doc 9303 Part 3, Section 5 adds to ISO 3166-1, with what each stands for.
ICAO_SPECIAL_CODES: Final[dict[str, str]] = {
    "D": "Germany",
    "GBD": "British Overseas Territories citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas citizen",
    "GBP": "British protected person",
    "GBS": "British subject",
    "UNO": "United Nations Organization or one of its officials",
    "UNA": "Specialized agency of the United Nations or one of its officials",
    "UNK": "Resident of Kosovo to whom a travel document has been issued by the United "
           "Nations Interim Administration Mission in Kosovo (UNMIK)",
    "XXA": "Stateless person, as defined in Article 1 of the 1954 Convention relating to "
           "the Status of Stateless Persons",
    "XXB": "Refugee, as defined in Article 1 of the 1951 Convention relating to the Status "
           "of Refugees as amended by the 1967 Protocol",
    "XXC": "Refugee, other than as defined under the code XXB",
    "XXX": "Person of unspecified nationality",
    "EUE": "European Union",
}

#: Utopia, the fictitious state of the specimens printed in Doc 9303. It is no real issuer:
#: a document that names it is a specimen, and is accepted only when specimens are asked for.
SPECIMEN_CODES: Final[dict[str, str]] = {"UTO": "Utopia (the Doc 9303 specimens' state)"}

#: Codes that say the holder has no (known) nationality: no citizenship to record. ``XXX``
#: is Doc 9303's own code for a person of unspecified nationality, not a placeholder.
NO_NATIONALITY_CODES: Final = frozenset({"XXA", "XXB", "XXC", "XXX"})

#: Codes that name an organization, not a state: an issuer, never a citizenship.
ORGANIZATION_CODES: Final = frozenset({"UNO", "UNA", "UNK", "EUE"})

#: Every known code, keyed as the MRZ writes it: three characters, fillers included.
MRZ_CODES: Final[dict[str, str]] = {
    code.ljust(3, "<"): code for code in (*ISO_3166_ALPHA3, *ICAO_SPECIAL_CODES)
}


def is_known_code(code: str) -> bool:
    """Whether ``code`` (``"UTO"``, ``"D"`` or ``"D<<"``) is a code Doc 9303 Part 3 lists.

    ``UTO`` (Utopia) is not one: it appears only on the specimens printed in Doc 9303.
    """
    return code.ljust(3, "<") in MRZ_CODES


def code_name(code: str) -> str | None:
    """What ``code`` stands for, or ``None`` for a code Doc 9303 Part 3 does not list."""
    bare = code.rstrip("<")
    return (ISO_3166_ALPHA3.get(bare) or ICAO_SPECIAL_CODES.get(bare)
            or SPECIMEN_CODES.get(bare))


def to_alpha3(code: str) -> str:
    """The three-letter form used elsewhere in nseers: ``D`` becomes ``DEU``; others as is."""
    bare = code.rstrip("<")
    return "DEU" if bare == "D" else bare


#: The kinds only the United States issues: without an issuer, their issuer is the United
#: States. Any other kind (a passport, a military identity card, an enhanced driver's
#: licence, which a province may issue) names its issuer or has none known.
ISSUED_ONLY_BY_THE_US: Final = frozenset({
    "us_passport", "passport_card", "visa", "bcc", "i551", "i94", "i68", "inspass",
    "portpass", "sentri", "mmd"})
#: The documents that identify a traveller (a person is found again by one of them).
IDENTITY_DOCUMENTS: Final = frozenset({"passport", "us_passport", "passport_card", "i551",
                                       "bcc"})
#: The ICAO Doc 9303 code of the United States.
US_CODE: Final = "USA"


def document_issuer(kind: str, issuer: str | None) -> str | None:
    """The state that issued a document: the one given, else the United States for a kind
    only it issues, else unknown (``None``). A foreign passport is never taken to be a
    United States one for want of an issuer (issue 15)."""
    if issuer:
        return issuer
    return US_CODE if kind in ISSUED_ONLY_BY_THE_US else None
