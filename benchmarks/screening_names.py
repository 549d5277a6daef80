"""Generated watchlists for the screening benchmark: multi-script names with their spellings.

Each pool entry is a name part in its own script with the Latin spellings that passports
and lists use for it. A listed person gets a primary Latin spelling and an alias in the
native script (and sometimes a second Latin alias); a *variant* query uses another Latin
spelling of each part (a transliteration variant) or one typed error, in either order; a
*namesake* query uses the listed name exactly with another birth date and nationality.
The pools are small and real; the surnames carry a generated suffix part where a script's
pool is too small for a million distinct persons, as real lists repeat names too.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from nseers.screening.model import ListedPerson, PartialDate, ScreeningQuery

Part = tuple[str, tuple[str, ...]]

ARABIC_GIVEN: tuple[Part, ...] = (
    ("محمد", ("Mohammed", "Muhammad", "Mohamed", "Mohammad")), ("أحمد", ("Ahmed", "Ahmad")),
    ("علي", ("Ali", "Aly")), ("حسن", ("Hassan", "Hasan")),
    ("حسين", ("Hussein", "Husain", "Hussain")), ("عمر", ("Omar", "Umar")),
    ("خالد", ("Khaled", "Khalid")), ("يوسف", ("Youssef", "Yusuf", "Yousef")),
    ("إبراهيم", ("Ibrahim", "Ebrahim")), ("محمود", ("Mahmoud", "Mahmud")),
    ("مصطفى", ("Mustafa", "Moustafa", "Mostafa")), ("سعيد", ("Said", "Saeed", "Saied")),
    ("كريم", ("Karim", "Kareem")), ("طارق", ("Tariq", "Tarek", "Tareq")),
    ("جمال", ("Jamal", "Gamal")), ("ناصر", ("Nasser", "Nasir")),
    ("فيصل", ("Faisal", "Faysal")), ("سلمان", ("Salman", "Selman")),
    ("رشيد", ("Rashid", "Rasheed")), ("عادل", ("Adel", "Adil")),
    ("منصور", ("Mansour", "Mansur")), ("وليد", ("Walid", "Waleed")),
    ("زياد", ("Ziad", "Ziyad")), ("هشام", ("Hisham", "Hesham")),
)
ARABIC_FAMILY: tuple[Part, ...] = (
    ("الهاشمي", ("al-Hashimi", "el-Hachemi", "Al Hashemi")),
    ("التكريتي", ("al-Tikriti", "Al Tikriti")), ("المصري", ("al-Masri", "el-Masry")),
    ("الشامي", ("al-Shami", "el-Chami")), ("البغدادي", ("al-Baghdadi", "Al Bagdadi")),
    ("الحسيني", ("al-Husseini", "el-Husaini")), ("الزهراني", ("al-Zahrani", "Al Zahrany")),
    ("القحطاني", ("al-Qahtani", "al-Kahtani")), ("العتيبي", ("al-Otaibi", "al-Utaybi")),
    ("الأنصاري", ("al-Ansari", "el-Ansary")), ("الخطيب", ("al-Khatib", "el-Khatib")),
    ("الحلبي", ("al-Halabi", "el-Halaby")), ("المطيري", ("al-Mutairi", "al-Mutayri")),
    ("الدوسري", ("al-Dosari", "al-Dawsari")), ("الشمري", ("al-Shammari", "al-Shamari")),
    ("العمري", ("al-Omari", "al-Umari")), ("النجار", ("al-Najjar", "el-Naggar")),
    ("الحداد", ("al-Haddad", "el-Hadad")), ("الجبوري", ("al-Jabouri", "al-Jubouri")),
    ("الكبيسي", ("al-Kubaisi", "al-Kubaysi")),
)
RUSSIAN_GIVEN: tuple[Part, ...] = (
    ("Александр", ("Aleksandr", "Alexander", "Alexandr")),
    ("Дмитрий", ("Dmitriy", "Dmitry", "Dmitrii")), ("Сергей", ("Sergey", "Sergei")),
    ("Алексей", ("Aleksey", "Alexei", "Aleksei")), ("Андрей", ("Andrey", "Andrei")),
    ("Михаил", ("Mikhail", "Mihail")), ("Николай", ("Nikolay", "Nikolai")),
    ("Юрий", ("Yuriy", "Yuri", "Iurii")), ("Евгений", ("Yevgeniy", "Evgeny", "Evgenii")),
    ("Игорь", ("Igor", "Ihor")), ("Виктор", ("Viktor", "Victor")),
    ("Максим", ("Maksim", "Maxim")), ("Анатолий", ("Anatoliy", "Anatoly")),
    ("Вячеслав", ("Vyacheslav", "Viacheslav")), ("Геннадий", ("Gennadiy", "Gennady")),
)
RUSSIAN_PATRONYMIC: tuple[Part, ...] = (
    ("Александрович", ("Aleksandrovich", "Alexandrovich")),
    ("Сергеевич", ("Sergeyevich", "Sergeevich")), ("Владимирович", ("Vladimirovich",)),
    ("Николаевич", ("Nikolayevich", "Nikolaevich")), ("Иванович", ("Ivanovich",)),
    ("Михайлович", ("Mikhailovich", "Mikhaylovich")), ("Петрович", ("Petrovich",)),
    ("Юрьевич", ("Yuryevich", "Iurevich")), ("Андреевич", ("Andreyevich", "Andreevich")),
)
RUSSIAN_FAMILY: tuple[Part, ...] = (
    ("Иванов", ("Ivanov",)), ("Смирнов", ("Smirnov",)), ("Кузнецов", ("Kuznetsov",)),
    ("Соколов", ("Sokolov",)), ("Лебедев", ("Lebedev",)), ("Козлов", ("Kozlov",)),
    ("Новиков", ("Novikov",)), ("Морозов", ("Morozov",)), ("Волков", ("Volkov",)),
    ("Соловьёв", ("Solovyov", "Soloviev", "Solovyev")),
    ("Васильев", ("Vasilyev", "Vasiliev")), ("Зайцев", ("Zaytsev", "Zaitsev")),
    ("Семёнов", ("Semyonov", "Semenov")), ("Воробьёв", ("Vorobyov", "Vorobiev")),
    ("Фёдоров", ("Fyodorov", "Fedorov")), ("Михайлов", ("Mikhailov", "Mikhaylov")),
    ("Беляев", ("Belyaev", "Beliaev")), ("Киселёв", ("Kiselyov", "Kiselev")),
    ("Андреев", ("Andreyev", "Andreev")), ("Григорьев", ("Grigoryev", "Grigoriev")),
)
GREEK_GIVEN: tuple[Part, ...] = (
    ("Γεώργιος", ("Georgios", "Yiorgos")), ("Ιωάννης", ("Ioannis", "Yannis")),
    ("Κωνσταντίνος", ("Konstantinos", "Constantinos")),
    ("Δημήτριος", ("Dimitrios", "Demetrios")), ("Νικόλαος", ("Nikolaos", "Nicolaos")),
    ("Παναγιώτης", ("Panagiotis", "Panayiotis")), ("Χρήστος", ("Christos", "Hristos")),
    ("Αλέξανδρος", ("Alexandros", "Aleksandros")), ("Αθανάσιος", ("Athanasios", "Athanassios")),
    ("Ευάγγελος", ("Evangelos", "Evaggelos")),
)
GREEK_FAMILY: tuple[Part, ...] = (
    ("Παπαδόπουλος", ("Papadopoulos", "Papadopulos")), ("Παπαδάκης", ("Papadakis",)),
    ("Γεωργίου", ("Georgiou", "Yeorgiou")), ("Οικονόμου", ("Oikonomou", "Economou")),
    ("Νικολάου", ("Nikolaou", "Nicolaou")), ("Βασιλείου", ("Vasileiou", "Vassiliou")),
    ("Καραγιάννης", ("Karagiannis", "Karayannis")), ("Μακρής", ("Makris", "Macris")),
    ("Αντωνίου", ("Antoniou", "Andoniou")), ("Χατζής", ("Chatzis", "Hatzis")),
)
CHINESE_FAMILY: tuple[Part, ...] = (
    ("王", ("Wang",)), ("李", ("Li",)), ("张", ("Zhang",)), ("刘", ("Liu",)),
    ("陈", ("Chen",)), ("杨", ("Yang",)), ("黄", ("Huang",)), ("赵", ("Zhao",)),
    ("周", ("Zhou",)), ("吴", ("Wu",)), ("徐", ("Xu",)), ("孙", ("Sun",)),
)
CHINESE_GIVEN: tuple[Part, ...] = (
    ("伟", ("Wei",)), ("芳", ("Fang",)), ("明", ("Ming",)), ("强", ("Qiang",)),
    ("军", ("Jun",)), ("磊", ("Lei",)), ("洋", ("Yang",)), ("勇", ("Yong",)),
    ("杰", ("Jie",)), ("涛", ("Tao",)), ("静", ("Jing",)), ("丽", ("Li",)),
    ("华", ("Hua",)), ("平", ("Ping",)), ("建", ("Jian",)), ("国", ("Guo",)),
)
KOREAN_FAMILY: tuple[Part, ...] = (
    ("김", ("Kim",)), ("이", ("Lee", "Yi")), ("박", ("Park", "Pak")), ("최", ("Choi",)),
    ("정", ("Jung", "Chung")), ("강", ("Kang",)), ("조", ("Cho",)), ("윤", ("Yoon", "Yun")),
)
KOREAN_GIVEN: tuple[Part, ...] = (
    ("민준", ("Min-jun", "Minjun")), ("서연", ("Seo-yeon", "Seoyeon")),
    ("지훈", ("Ji-hoon", "Jihun")), ("현우", ("Hyun-woo", "Hyeonu")),
    ("수빈", ("Su-bin", "Soobin")), ("영호", ("Young-ho", "Yeongho")),
    ("성민", ("Sung-min", "Seongmin")), ("동현", ("Dong-hyun", "Donghyeon")),
    ("재원", ("Jae-won", "Jaewon")), ("은지", ("Eun-ji", "Eunji")),
)
LATIN_GIVEN = ("James", "Maria", "José", "Juan", "Carlos", "Luis", "Ana", "Pierre", "Jean",
               "Marco", "Giuseppe", "Hans", "Peter", "Jan", "Piotr", "Andrzej", "Tomasz",
               "Miguel", "Pedro", "Antonio", "Francesco", "Paolo", "Lukas", "Stefan")
LATIN_FAMILY = ("Garcia", "Rodriguez", "Martinez", "Lopez", "Gonzalez", "Hernandez",
                "Moreau", "Dubois", "Rossi", "Russo", "Ferrari", "Muller", "Schmidt",
                "Schneider", "Kowalski", "Nowak", "Wisniewski", "Silva", "Santos",
                "Oliveira", "Pereira", "Costa", "Novak", "Horvat", "Jansen", "Peeters")
SYLLABLES = ("ka", "ri", "mo", "ta", "ne", "lu", "sa", "vi", "do", "ra", "be", "zo", "fi",
             "ga", "hu", "pe", "lo", "mi", "tu", "ke", "no", "si", "ya", "da", "ro")
COUNTRIES = {"arabic": ("iq", "sy", "sa", "eg", "ye", "jo", "lb", "ly"),
             "russian": ("ru", "by", "kz"), "greek": ("gr", "cy"), "chinese": ("cn", "tw"),
             "korean": ("kr", "kp"), "latin": ("es", "mx", "fr", "it", "de", "pl", "br")}
ALL_COUNTRIES = tuple(c for cs in COUNTRIES.values() for c in cs)


@dataclass(frozen=True, slots=True)
class Spelling:
    """One person's name: its parts' native forms and their Latin spellings."""

    script: str
    parts: tuple[Part, ...]
    native_joiner: str = " "


def _coined(rng: random.Random) -> Part:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return word, (word,)


def _spelling(rng: random.Random) -> Spelling:
    script = rng.choices(("arabic", "russian", "greek", "chinese", "korean", "latin"),
                         weights=(30, 20, 10, 15, 10, 15))[0]
    if script == "arabic":
        return Spelling(script, (rng.choice(ARABIC_GIVEN), rng.choice(ARABIC_GIVEN),
                                 rng.choice(ARABIC_FAMILY), _coined(rng)))
    if script == "russian":
        return Spelling(script, (rng.choice(RUSSIAN_GIVEN), rng.choice(RUSSIAN_PATRONYMIC),
                                 rng.choice(RUSSIAN_FAMILY), _coined(rng)))
    if script == "greek":
        return Spelling(script, (rng.choice(GREEK_GIVEN), rng.choice(GREEK_FAMILY),
                                 _coined(rng)))
    if script == "chinese":
        return Spelling(script, (rng.choice(CHINESE_FAMILY), rng.choice(CHINESE_GIVEN),
                                 rng.choice(CHINESE_GIVEN), _coined(rng)), "")
    if script == "korean":
        return Spelling(script, (rng.choice(KOREAN_FAMILY), rng.choice(KOREAN_GIVEN),
                                 _coined(rng)), "")
    given, family = rng.choice(LATIN_GIVEN), rng.choice(LATIN_FAMILY)
    return Spelling(script, ((given, (given,)), (family, (family,)), _coined(rng)))


def _latin(spelling: Spelling, rng: random.Random, choose: int | None = None) -> str:
    words = [spellings[choose % len(spellings)] if choose is not None
             else rng.choice(spellings) for _, spellings in spelling.parts]
    if spelling.script == "chinese":
        # Pinyin writes a two-character given name as one word.
        words = [words[0], words[1] + words[2].lower(), words[3]]
    return " ".join(words)


def _native(spelling: Spelling) -> str:
    # The coined part has no native form; it is written in Latin letters after the name.
    native = spelling.native_joiner.join(part for part, _ in spelling.parts[:-1])
    return f"{native} {spelling.parts[-1][0]}"


def _date(rng: random.Random) -> PartialDate:
    return PartialDate(rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28))


@dataclass
class Generated:
    """A listed person and how its name was built (for making queries about it)."""

    person: ListedPerson
    spelling: Spelling


def listed_persons(count: int, seed: int = 14) -> Iterator[Generated]:
    """``count`` listed persons, deterministic for a seed."""
    rng = random.Random(seed)
    for number in range(count):
        spelling = _spelling(rng)
        primary = _latin(spelling, rng, choose=0)
        aliases = [_native(spelling)] if spelling.script != "latin" else []
        if rng.random() < 0.3:
            aliases.append(_latin(spelling, rng))
        dates = (_date(rng),) if rng.random() < 0.9 else ()
        nationality = (rng.choice(COUNTRIES[spelling.script]),)
        yield Generated(ListedPerson(f"L{number:07d}", primary, tuple(aliases), dates,
                                     nationality, "bench", "generated"), spelling)


def _typo(name: str, rng: random.Random) -> str:
    letters = list(name)
    positions = [i for i, c in enumerate(letters) if c.isalpha()]
    i = rng.choice(positions[1:] or positions)
    kind = rng.choice(("substitute", "delete", "transpose", "insert"))
    if kind == "substitute":
        letters[i] = rng.choice("aeioubcdfghklmnprstvz")
    elif kind == "delete":
        del letters[i]
    elif kind == "transpose" and i + 1 < len(letters) and letters[i + 1].isalpha():
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    else:
        letters.insert(i, rng.choice("aeioulnrs"))
    return "".join(letters)


def variant_query(generated: Generated, rng: random.Random, number: int) -> ScreeningQuery:
    """A transliteration or typo variant of a listed person, with its own biographic data.

    The birth date is the listed one, or its year only, or day and month swapped, or
    missing; the nationality is the listed one or missing (a form left blank).
    """
    spelling = generated.spelling
    name = _latin(spelling, rng, choose=rng.randint(1, 3))
    if rng.random() < 0.5 or name == generated.person.name:
        name = _typo(name, rng)
    words = name.split()
    if rng.random() < 0.5:
        words = [*words[1:], words[0]]
    listed = generated.person.dates_of_birth
    dob: PartialDate | None = listed[0] if listed else None
    roll = rng.random()
    if dob is not None and roll < 0.15:
        dob = PartialDate(dob.year)
    elif dob is not None and roll < 0.25 and dob.day is not None and dob.day <= 12:
        dob = PartialDate(dob.year, dob.day, dob.month)
    elif roll < 0.35:
        dob = None
    nationality = generated.person.nationalities[0] if rng.random() < 0.8 else None
    return ScreeningQuery(f"V{number}", " ".join(words).upper(), dob, nationality)


def namesake_query(generated: Generated, rng: random.Random, number: int) -> ScreeningQuery:
    """Someone else with the listed person's name: another birth date, another country."""
    person = generated.person
    if not person.dates_of_birth:
        raise ValueError("a namesake needs a listed person with a birth date to differ from")
    listed_year = person.dates_of_birth[0].year
    dob = _date(rng)
    while abs(dob.year - listed_year) < 2:
        dob = _date(rng)
    nationality = rng.choice([c for c in ALL_COUNTRIES if c not in person.nationalities])
    return ScreeningQuery(f"N{number}", person.name.upper(), dob, nationality)
