"""About 300 invented applications for the demo call, spread over regions and genders.

Deterministic (a seeded random generator) so that `load_demo` stays idempotent: the
applicants are found again by their demo addresses and nothing is created twice.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from conferences.queries import region_for_country
from scholarships.enums import ApplicationStatus, Gender, SupportKind
from scholarships.models import Application

SUBMITTED = 300
DRAFTS = 12

# country, departure city, language of the application
PLACES = {
    "africa": [
        ("SN", "Dakar", "fr"),
        ("CI", "Abidjan", "fr"),
        ("CM", "Douala", "fr"),
        ("KE", "Nairobi", "en"),
        ("NG", "Lagos", "en"),
        ("UG", "Kampala", "en"),
        ("ZA", "Johannesburg", "en"),
        ("ZW", "Harare", "en"),
    ],
    "asia_pacific": [
        ("TH", "Bangkok", "en"),
        ("IN", "Kolkata", "en"),
        ("ID", "Jakarta", "en"),
        ("PH", "Manila", "en"),
        ("CN", "Kunming", "zh-hans"),
        ("KH", "Phnom Penh", "en"),
        ("MM", "Yangon", "en"),
        ("FJ", "Suva", "en"),
    ],
    "europe": [
        ("UA", "Kyiv", "ru"),
        ("KG", "Bishkek", "ru"),
        ("KZ", "Almaty", "ru"),
        ("MD", "Chișinău", "ru"),
        ("RS", "Belgrade", "en"),
        ("GB", "London", "en"),
        ("DE", "Berlin", "en"),
        ("ES", "Madrid", "es"),
    ],
    "latin_america": [
        ("AR", "Buenos Aires", "es"),
        ("BR", "São Paulo", "es"),
        ("MX", "Ciudad de México", "es"),
        ("CO", "Bogotá", "es"),
        ("PE", "Lima", "es"),
        ("GT", "Ciudad de Guatemala", "es"),
        ("EC", "Quito", "es"),
    ],
    "north_america_caribbean": [
        ("US", "New York", "en"),
        ("CA", "Vancouver", "en"),
        ("JM", "Kingston", "en"),
        ("DO", "Santo Domingo", "es"),
        ("TT", "Port of Spain", "en"),
        ("HT", "Port-au-Prince", "fr"),
    ],
}
REGION_WEIGHTS = {
    "africa": 30,
    "asia_pacific": 25,
    "europe": 18,
    "latin_america": 17,
    "north_america_caribbean": 10,
}
GENDER_WEIGHTS = {
    Gender.WOMAN: 50,
    Gender.TRANSGENDER: 20,
    Gender.MAN: 12,
    Gender.NON_BINARY: 10,
    Gender.PREFER_NOT_TO_SAY: 8,
}
NAMES = [
    "Amina",
    "Binta",
    "Chipo",
    "Dara",
    "Esi",
    "Fatou",
    "Grace",
    "Hana",
    "Inés",
    "Joy",
    "Kemi",
    "Lin",
    "Mai",
    "Nadia",
    "Olga",
    "Pita",
    "Quynh",
    "Rosa",
    "Sami",
    "Tatiana",
    "Uma",
    "Vero",
    "Wanjiru",
    "Xiu",
    "Yara",
    "Zola",
    "Alex",
    "Kim",
    "Robin",
    "Sasha",
]
ORGANISATIONS = {
    "en": ["Community Health Collective", "Peer Voices", "Safe Night Outreach", "Rights First"],
    "fr": ["Collectif Santé Solidaire", "Voix des Pairs", "Association Nuit Sûre"],
    "es": ["Colectiva Salud y Derechos", "Red de Pares", "Mujeres en Acción"],
    "ru": ["Сообщество «Равные»", "Инициатива «Здоровье»", "Союз за права"],
    "zh-hans": ["社区健康互助会", "同伴之声", "平安外展"],
}
ROLES = {
    "en": ["Peer educator", "Outreach worker", "Coordinator", "Board member", "Paralegal"],
    "fr": ["Éducatrice paire", "Agente de terrain", "Coordinatrice", "Membre du bureau"],
    "es": ["Educadora de pares", "Promotora", "Coordinadora", "Integrante de la junta"],
    "ru": ["Равный консультант", "Аутрич-работник", "Координатор", "Член правления"],
    "zh-hans": ["同伴教育员", "外展工作者", "协调员", "理事会成员"],
}
WHY = {
    "en": [
        "I run a drop-in centre and want to learn how others keep services open when funding falls.",
        "Our members face police violence; I want to meet lawyers and bring back new strategies.",
        "I would share what we learned from peer-led testing and bring back ideas on PrEP access.",
    ],
    "fr": [
        "Je coordonne des permanences de santé et je veux apprendre comment d'autres maintiennent leurs services.",
        "Nos membres subissent des violences ; je veux rencontrer des juristes et rapporter des stratégies.",
    ],
    "es": [
        "Coordino una red de pares y quiero aprender cómo otras organizaciones sostienen sus servicios.",
        "Quiero llevar a mi comunidad nuevas ideas sobre acceso a la PrEP y a la justicia.",
    ],
    "ru": [
        "Я веду группу взаимопомощи и хочу узнать, как другие сохраняют услуги при сокращении финансирования.",
        "Я хочу встретиться с юристами и привезти новые стратегии защиты прав.",
    ],
    "zh-hans": [
        "我负责一个外展项目，希望学习其他组织如何在资金减少时维持服务。",
        "我希望把关于获得预防性用药的新经验带回社区。",
    ],
}
ISSUE = {
    "en": [
        "Decriminalisation and health.",
        "Access to PrEP for migrants.",
        "Violence and justice.",
    ],
    "fr": ["La dépénalisation et la santé.", "L'accès à la PrEP pour les personnes migrantes."],
    "es": ["La despenalización y la salud.", "El acceso a la PrEP para personas migrantes."],
    "ru": ["Декриминализация и здоровье.", "Доступ к PrEP для мигрантов."],
    "zh-hans": ["去罪化与健康。", "移民获得预防性用药的问题。"],
}


def load_demo_applications(call):
    """Create what is missing of the demo applications; return (submitted, drafts) counts."""
    rng = random.Random(2028)
    questions = list(call.motivation_questions.order_by("position"))
    now = timezone.now()
    with transaction.atomic():
        existing = set(
            User.objects.filter(email__startswith="demo-applicant-").values_list("email", flat=True)
        )
        users = []
        plans = []
        for number in range(SUBMITTED + DRAFTS):
            region = rng.choices(list(REGION_WEIGHTS), weights=REGION_WEIGHTS.values())[0]
            country, city, language = rng.choice(PLACES[region])
            gender = rng.choices(list(GENDER_WEIGHTS), weights=GENDER_WEIGHTS.values())[0]
            email = f"demo-applicant-{number:03d}@demo.example"
            plans.append((email, region, country, city, language, gender, number >= SUBMITTED))
            if email not in existing:
                user = User(
                    email=email,
                    display_name=f"{rng.choice(NAMES)} {number:03d}",
                    preferred_language=language,
                    country=country,
                    time_zone="UTC",
                )
                user.set_unusable_password()
                users.append(user)
        User.objects.bulk_create(users)
        by_email = {
            user.email: user for user in User.objects.filter(email__in=[plan[0] for plan in plans])
        }
        have = set(
            Application.objects.filter(call=call, applicant__in=by_email.values()).values_list(
                "applicant__email", flat=True
            )
        )
        applications = []
        for email, region, country, city, language, gender, is_draft in plans:
            if email in have:
                continue
            submitted_at = now - timedelta(hours=rng.randint(1, 24 * 6))
            motivation = {}
            if questions:
                motivation[str(questions[0].pk)] = rng.choice(WHY[language])
            if len(questions) > 1:
                motivation[str(questions[1].pk)] = rng.choice(ISSUE[language])
            applications.append(
                Application(
                    call=call,
                    applicant=by_email[email],
                    status=ApplicationStatus.DRAFT if is_draft else ApplicationStatus.SUBMITTED,
                    draft={}
                    if not is_draft
                    else {
                        "step": "about",
                        "step_data": {"eligibility": {}},
                        "step_files": {},
                        "extra_data": {},
                    },
                    language=language,
                    country_of_residence="" if is_draft else country,
                    region="" if is_draft else region_for_country(country) or region,
                    gender="" if is_draft else gender,
                    languages=[] if is_draft else [language.split("-")[0][:2]],
                    organisation_name="" if is_draft else rng.choice(ORGANISATIONS[language]),
                    organisation_is_sex_worker_led=""
                    if is_draft
                    else rng.choice(["yes", "yes", "unsure"]),
                    role="" if is_draft else rng.choice(ROLES[language]),
                    first_time_attendee=None if is_draft else rng.random() < 0.55,
                    motivation={} if is_draft else motivation,
                    departure_city="" if is_draft else city,
                    departure_country="" if is_draft else country,
                    visa_needed="" if is_draft else rng.choice(["yes", "no", "unsure"]),
                    support_requested=[]
                    if is_draft
                    else rng.sample([kind.value for kind in SupportKind], k=rng.randint(2, 5)),
                    consent_version="" if is_draft else "2026-11",
                    consented_at=None if is_draft else submitted_at,
                    submitted_at=None if is_draft else submitted_at,
                )
            )
        Application.objects.bulk_create(applications)
    counts = Application.objects.filter(call=call, applicant__email__startswith="demo-applicant-")
    return (
        counts.exclude(status=ApplicationStatus.DRAFT).count(),
        counts.filter(status=ApplicationStatus.DRAFT).count(),
    )
