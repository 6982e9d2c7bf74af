"""A realistic demo: a conference, an open call in five languages, a draft call, and
one user per role. Running it again changes nothing but the demo passwords, which it
sets back to the printed ones."""

import zoneinfo
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from djmoney.money import Money

from accounts.models import User
from accounts.two_factor import TOTPDevice
from conferences.enums import ConferenceKind
from conferences.models import Conference
from scholarships.enums import CallStatus, SupportKind
from scholarships.models import Call, EligibilityQuestion, MotivationQuestion

from ._demo_applications import load_demo_applications
from ._demo_decisions import AWARDEE_PASSWORD, load_demo_decisions
from ._demo_reviews import load_demo_policy, load_demo_reviews

# The demo's authenticator secret (hex). Never used outside the demo: load_demo
# refuses to run with DEBUG off.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"

DEMO_USERS = [
    # email, display name, language, country, time zone, roles, password
    ("applicant@demo.example", "Amara", "fr", "SN", "Africa/Dakar", {}, "demo-applicant-pass"),
    (
        "reviewer@demo.example",
        "Lin",
        "zh-hans",
        "TH",
        "Asia/Bangkok",
        {"is_reviewer": True},
        "demo-reviewer-pass",
    ),
    (
        "coordinator@demo.example",
        "Valentina",
        "es",
        "AR",
        "America/Argentina/Buenos_Aires",
        {"is_coordinator": True},
        "demo-coordinator-pass",
    ),
    (
        "finance@demo.example",
        "Olena",
        "ru",
        "UA",
        "Europe/Kyiv",
        {"is_finance": True},
        "demo-finance-pass",
    ),
    (
        "admin@demo.example",
        "Admin",
        "en",
        "GB",
        "Europe/London",
        {"is_staff": True, "is_superuser": True, "is_coordinator": True},
        "demo-admin-pass",
    ),
]

CALL_TITLE = {
    "en": "Scholarships for AIDS 2028",
    "fr": "Bourses pour AIDS 2028",
    "es": "Becas para AIDS 2028",
    "ru": "Стипендии на конференцию AIDS 2028",
    "zh-hans": "AIDS 2028 奖学金",
}
CALL_SUMMARY = {
    "en": "Travel, accommodation and daily allowance for community members to attend the "
    "International AIDS Conference.",
    "fr": "Voyage, hébergement et indemnité journalière pour que des membres de la "
    "communauté participent à la Conférence internationale sur le sida.",
    "es": "Viaje, alojamiento y viáticos para que integrantes de la comunidad asistan a la "
    "Conferencia Internacional sobre el Sida.",
    "ru": "Проезд, проживание и суточные для участия представителей сообщества в "
    "Международной конференции по СПИДу.",
    "zh-hans": "为社区成员参加国际艾滋病大会提供差旅、住宿和每日津贴。",
}
CALL_DESCRIPTION = {
    "en": "The network offers full scholarships so that community members can take part in "
    "the conference, meet other delegates and speak in sessions.\n\nBefore the conference, "
    "scholars meet online to prepare together. We pay for the flight, the registration, "
    "accommodation and a daily allowance.",
    "fr": "Le réseau offre des bourses complètes pour que des membres de la communauté "
    "participent à la conférence, rencontrent d'autres délégués et prennent la parole.\n\n"
    "Avant la conférence, les boursiers se réunissent en ligne pour se préparer ensemble. "
    "Nous prenons en charge le vol, l'inscription, l'hébergement et une indemnité journalière.",
    "es": "La red ofrece becas completas para que integrantes de la comunidad participen en "
    "la conferencia, conozcan a otras personas delegadas y tomen la palabra.\n\nAntes de la "
    "conferencia, las personas becadas se reúnen en línea para prepararse juntas. Cubrimos "
    "el vuelo, la inscripción, el alojamiento y viáticos diarios.",
    "ru": "Сеть предлагает полные стипендии, чтобы представители сообщества могли принять "
    "участие в конференции, встретиться с другими делегатами и выступить.\n\nПеред "
    "конференцией стипендиаты встречаются онлайн, чтобы подготовиться вместе. Мы оплачиваем "
    "перелёт, регистрацию, проживание и суточные.",
    "zh-hans": "本网络提供全额奖学金，让社区成员能够参加大会、结识其他代表并在会上发言。\n\n"
    "大会之前，获奖者将在线会面，共同做好准备。我们承担机票、注册费、住宿和每日津贴。",
}
CALL_ELIGIBILITY = {
    "en": "You are a member of a community-led organisation that belongs to the network, "
    "you are 18 or older, and you can travel on the conference dates.",
    "fr": "Vous êtes membre d'une organisation communautaire membre du réseau, vous avez "
    "18 ans ou plus et vous pouvez voyager aux dates de la conférence.",
    "es": "Eres integrante de una organización comunitaria que pertenece a la red, tienes "
    "18 años o más y puedes viajar en las fechas de la conferencia.",
    "ru": "Вы состоите в общественной организации — члене сети, вам 18 лет или больше, и "
    "вы можете поехать в даты конференции.",
    "zh-hans": "您是本网络成员社区组织的成员，年满 18 岁，并且能够在大会期间出行。",
}
SAFETY_NOTES = {
    "en": "Check the entry rules for your passport early: visas can take eight weeks. "
    "Carry the invitation letter, not your application.",
    "fr": "Vérifiez tôt les conditions d'entrée pour votre passeport : un visa peut prendre "
    "huit semaines. Emportez la lettre d'invitation, pas votre candidature.",
    "es": "Revisa pronto los requisitos de entrada para tu pasaporte: la visa puede tardar "
    "ocho semanas. Lleva la carta de invitación, no tu solicitud.",
    "ru": "Заранее проверьте правила въезда для вашего паспорта: виза может оформляться "
    "восемь недель. Берите с собой письмо-приглашение, а не заявку.",
    "zh-hans": "请尽早查看您所持护照的入境规定：签证可能需要八周。请携带邀请函，而不是申请材料。",
}


class Command(BaseCommand):
    help = "Load demonstration data (idempotent). Refuses to run with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development: DEBUG is off (use --force).")
        for email, name, language, country, zone, roles, password in DEMO_USERS:
            user, _created = User.objects.update_or_create(
                email=email,
                defaults={
                    "display_name": name,
                    "preferred_language": language,
                    "country": country,
                    "time_zone": zone,
                    **roles,
                },
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            if roles:
                # Staff need a second factor: a demo authenticator with a fixed secret,
                # whose current code `manage.py demo_otp_code EMAIL` prints.
                TOTPDevice.objects.update_or_create(
                    user=user,
                    name="demo",
                    defaults={"confirmed": True, "key": DEMO_TOTP_KEY},
                )

        conference, _created = Conference.objects.update_or_create(
            acronym="AIDS 2028",
            defaults={
                "kind": ConferenceKind.INTERNATIONAL_AIDS,
                "name": "27th International AIDS Conference (demo)",
                "city": "Cape Town",
                "country": "ZA",
                "venue": "International Convention Centre",
                "time_zone": "Africa/Johannesburg",
                "start_date": date(2028, 7, 23),
                "end_date": date(2028, 7, 28),
                "registration_fee": Money(Decimal("750.00"), "USD"),
                "website": "https://www.example.org/aids2028",
                "travel_safety_notes": SAFETY_NOTES,
            },
        )
        zone = zoneinfo.ZoneInfo(conference.time_zone)
        today = timezone.localdate()
        # Open from a week ago until 23:59 at the venue, five weeks from now, so the
        # demo call is open whenever the demo is loaded.
        opens = timezone.make_aware(datetime.combine(today - timedelta(days=7), time(9)), zone)
        closes = timezone.make_aware(
            datetime.combine(today + timedelta(days=35), time(23, 59)), zone
        )
        call, _created = Call.objects.update_or_create(
            slug="aids-2028",
            defaults={
                "conference": conference,
                "title": CALL_TITLE,
                "summary": CALL_SUMMARY,
                "description": CALL_DESCRIPTION,
                "eligibility": CALL_ELIGIBILITY,
                "status": CallStatus.PUBLISHED,
                "opens_at": opens,
                "closes_at": closes,
                "number_of_awards": 25,
                "reviewers_per_application": 2,
                "support_offered": [kind.value for kind in SupportKind],
            },
        )
        load_questions(call)
        Call.objects.update_or_create(
            slug="aids-2028-youth",
            defaults={
                "conference": conference,
                "title": {"en": "Youth scholarships for AIDS 2028 (in preparation)"},
                "summary": {"en": "A second call, still a draft: only coordinators see it."},
                "description": {"en": "Draft text."},
                "status": CallStatus.DRAFT,
                "opens_at": closes,
                "closes_at": closes + timedelta(days=30),
                "number_of_awards": 5,
                "reviewers_per_application": 2,
                "support_offered": [SupportKind.REGISTRATION.value],
            },
        )
        submitted, drafts = load_demo_applications(call)
        coordinator = User.objects.get(email="coordinator@demo.example")
        assignments, reviews = load_demo_reviews(call, by=coordinator)
        run = load_demo_policy(call, by=coordinator)
        awards, awardee = load_demo_decisions(call, run, by=coordinator)
        # The apps built on this one add their demo through settings.DEMO_LOADERS: this
        # app does not import them.
        for loader in settings.DEMO_LOADERS:
            self.stdout.write(import_string(loader)(call=call, by=coordinator))
        self.stdout.write(
            f"Demo data loaded: {submitted} submitted applications and {drafts} drafts; "
            f"{assignments} reviews assigned, {reviews} written; a proposed selection of "
            f"{len(run.chosen)} ({run.status}), confirmed as {awards} awards. "
            "Log in at /accounts/login/ with:"
        )
        for email, _name, _l, _c, _z, roles, password in DEMO_USERS:
            role = ", ".join(key.removeprefix("is_") for key in roles) or "applicant"
            self.stdout.write(f"  {email:32} {password:24} ({role})")
        if awardee:
            self.stdout.write(f"  {awardee:32} {AWARDEE_PASSWORD:24} (applicant with an award)")
        self.stdout.write(
            "Staff accounts also ask for a code: DEBUG=1 "
            "`.venv/bin/python manage.py demo_otp_code coordinator@demo.example` prints it."
        )


ELIGIBILITY = [
    (
        {
            "en": "Are you a member of an organisation that belongs to the network?",
            "fr": "Êtes-vous membre d'une organisation qui fait partie du réseau ?",
            "es": "¿Eres integrante de una organización que forma parte de la red?",
            "ru": "Вы состоите в организации, которая входит в сеть?",
            "zh-hans": "您是本网络成员组织的成员吗？",
        },
        True,
        {
            "en": "This call is for members of the network's organisations. Your organisation "
            "can ask to join the network.",
            "fr": "Cet appel s'adresse aux membres des organisations du réseau. Votre "
            "organisation peut demander à rejoindre le réseau.",
            "es": "Esta convocatoria es para integrantes de las organizaciones de la red. Tu "
            "organización puede pedir unirse a la red.",
            "ru": "Этот конкурс — для членов организаций сети. Ваша организация может подать "
            "заявку на вступление в сеть.",
            "zh-hans": "本次征集面向本网络成员组织的成员。您的组织可以申请加入本网络。",
        },
    ),
    (
        {
            "en": "Are you 18 or older?",
            "fr": "Avez-vous 18 ans ou plus ?",
            "es": "¿Tienes 18 años o más?",
            "ru": "Вам 18 лет или больше?",
            "zh-hans": "您年满 18 岁了吗？",
        },
        True,
        {
            "en": "The conference admits adults only.",
            "fr": "La conférence n'accueille que des adultes.",
            "es": "La conferencia solo admite personas adultas.",
            "ru": "На конференцию допускаются только взрослые.",
            "zh-hans": "大会只接待成年人。",
        },
    ),
    (
        {
            "en": "Do you already have full funding to attend?",
            "fr": "Avez-vous déjà un financement complet pour y participer ?",
            "es": "¿Ya tienes financiación completa para asistir?",
            "ru": "У вас уже есть полное финансирование для участия?",
            "zh-hans": "您是否已获得参会的全额资助？",
        },
        False,
        {
            "en": "Scholarships go to people who have no other way to attend.",
            "fr": "Les bourses vont aux personnes qui n'ont pas d'autre moyen de participer.",
            "es": "Las becas son para quienes no tienen otra forma de asistir.",
            "ru": "Стипендии получают те, у кого нет другой возможности участвовать.",
            "zh-hans": "奖学金提供给没有其他途径参会的人。",
        },
    ),
]

MOTIVATION = [
    (
        {
            "en": "Why do you want to attend, and what will you bring back to your community?",
            "fr": "Pourquoi voulez-vous participer, et que rapporterez-vous à votre communauté ?",
            "es": "¿Por qué quieres asistir y qué llevarás de vuelta a tu comunidad?",
            "ru": "Почему вы хотите участвовать и что вы привезёте своему сообществу?",
            "zh-hans": "您为什么想参加？您会给您的社区带回什么？",
        },
        250,
    ),
    (
        {
            "en": "Which issue would you raise at the conference?",
            "fr": "Quel sujet porteriez-vous à la conférence ?",
            "es": "¿Qué tema plantearías en la conferencia?",
            "ru": "Какую проблему вы подняли бы на конференции?",
            "zh-hans": "您会在大会上提出什么议题？",
        },
        150,
    ),
]


def load_questions(call):
    for position, (text, required_answer, explanation) in enumerate(ELIGIBILITY):
        EligibilityQuestion.objects.update_or_create(
            call=call,
            position=position,
            defaults={"text": text, "required_answer": required_answer, "explanation": explanation},
        )
    for position, (text, word_limit) in enumerate(MOTIVATION):
        MotivationQuestion.objects.update_or_create(
            call=call, position=position, defaults={"text": text, "word_limit": word_limit}
        )
