"""Demo prep meetings (run by `manage.py load_demo`): an online meeting per region, one
for all regions, and one in person at the venue, for the demo call's awardees.

Idempotent: each demo meeting has a fixed reference, and one that exists is left as
it is. Times come from the slot finder. The demo's awardees live in many time zones;
their accounts are created in UTC, so they get their city's zone here first.
"""

import uuid
import zoneinfo
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone, translation

from accounts.models import User
from conferences.enums import Region
from scholarships.enums import ApplicationStatus
from scholarships.models import Application

from .enums import GroupKind, MeetingFormat, Rsvp
from .models import PrepMeeting
from .queries import members_of_group, slot_candidates
from .services import add_participants, create_meeting

NAMESPACE = uuid.UUID("4f0c7f5e-8f43-4a8e-9f0e-6f1f2d3b5a77")

CITY_ZONES = {
    "Dakar": "Africa/Dakar",
    "Abidjan": "Africa/Abidjan",
    "Douala": "Africa/Douala",
    "Nairobi": "Africa/Nairobi",
    "Lagos": "Africa/Lagos",
    "Kampala": "Africa/Kampala",
    "Johannesburg": "Africa/Johannesburg",
    "Harare": "Africa/Harare",
    "Bangkok": "Asia/Bangkok",
    "Kolkata": "Asia/Kolkata",
    "Jakarta": "Asia/Jakarta",
    "Manila": "Asia/Manila",
    "Kunming": "Asia/Shanghai",
    "Phnom Penh": "Asia/Phnom_Penh",
    "Yangon": "Asia/Yangon",
    "Suva": "Pacific/Fiji",
    "Kyiv": "Europe/Kyiv",
    "Bishkek": "Asia/Bishkek",
    "Almaty": "Asia/Almaty",
    "Chișinău": "Europe/Chisinau",
    "Belgrade": "Europe/Belgrade",
    "London": "Europe/London",
    "Berlin": "Europe/Berlin",
    "Madrid": "Europe/Madrid",
    "Buenos Aires": "America/Argentina/Buenos_Aires",
    "São Paulo": "America/Sao_Paulo",
    "Ciudad de México": "America/Mexico_City",
    "Bogotá": "America/Bogota",
    "Lima": "America/Lima",
    "Ciudad de Guatemala": "America/Guatemala",
    "Quito": "America/Guayaquil",
    "New York": "America/New_York",
    "Vancouver": "America/Vancouver",
    "Kingston": "America/Jamaica",
    "Santo Domingo": "America/Santo_Domingo",
    "Port of Spain": "America/Port_of_Spain",
    "Port-au-Prince": "America/Port-au-Prince",
}
ORGANISER_ZONES = {
    Region.AFRICA: "Africa/Nairobi",
    Region.ASIA_PACIFIC: "Asia/Bangkok",
    Region.EUROPE: "Europe/Berlin",
    Region.LATIN_AMERICA: "America/Bogota",
    Region.NORTH_AMERICA_CARIBBEAN: "America/New_York",
}
REGIONAL_TITLE = {
    "en": "Getting ready together: {region}",
    "fr": "Se préparer ensemble : {region}",
    "es": "Preparación conjunta: {region}",
    "ru": "Готовимся вместе: {region}",
    "zh-hans": "一起准备：{region}",
}
REGIONAL_AGENDA = {
    "en": "Introductions. Visas and travel: where things stand. Safety in the host country. "
    "What each of us wants to bring to the conference.",
    "fr": "Présentations. Visas et voyage : où en sommes-nous. Sécurité dans le pays hôte. "
    "Ce que nous voulons apporter à la conférence.",
    "es": "Presentaciones. Visados y viaje: cómo vamos. Seguridad en el país anfitrión. "
    "Lo que queremos llevar a la conferencia.",
    "ru": "Знакомство. Визы и поездка: что готово. Безопасность в стране проведения. "
    "С чем мы едем на конференцию.",
    "zh-hans": "相互介绍。签证与行程进展。东道国的安全事项。我们每个人希望带到大会的内容。",
}
ALL_TITLE = {
    "en": "All regions: one network at the conference",
    "fr": "Toutes les régions : un seul réseau à la conférence",
    "es": "Todas las regiones: una sola red en la conferencia",
    "ru": "Все регионы: одна сеть на конференции",
    "zh-hans": "所有区域：大会上的同一个网络",
}
ALL_AGENDA = {
    "en": "The sessions we follow, who speaks where, and how we keep in touch on site.",
    "fr": "Les sessions que nous suivons, qui parle où, et comment rester en contact sur place.",
    "es": "Las sesiones que seguimos, quién habla dónde y cómo nos mantenemos en contacto allí.",
    "ru": "Какие сессии мы посещаем, кто где выступает и как держать связь на месте.",
    "zh-hans": "我们关注的会议、谁在哪里发言，以及在现场如何保持联系。",
}
VENUE_TITLE = {
    "en": "Welcome meeting at the venue",
    "fr": "Réunion d'accueil sur place",
    "es": "Reunión de bienvenida en la sede",
    "ru": "Встреча на месте проведения",
    "zh-hans": "会场欢迎会",
}
VENUE_AGENDA = {
    "en": "Badges, per diem and the week's plan. Tea and time to meet.",
    "fr": "Badges, indemnités journalières et programme de la semaine. Thé et rencontres.",
    "es": "Acreditaciones, viáticos y el plan de la semana. Té y tiempo para conocernos.",
    "ru": "Бейджи, суточные и план недели. Чай и время познакомиться.",
    "zh-hans": "证件、每日津贴和本周安排。茶歇与相互认识。",
}


def demo_id(name):
    return uuid.uuid5(NAMESPACE, name)


def give_demo_awardees_their_zones(call):
    """Demo applicants are created in UTC; an awardee gets their city's time zone."""
    awarded = Application.objects.filter(
        call=call, status=ApplicationStatus.AWARDED, applicant__time_zone="UTC"
    ).values_list("applicant_id", "departure_city")
    for user_id, city in awarded:
        if city in CITY_ZONES:
            User.objects.filter(pk=user_id).update(time_zone=CITY_ZONES[city])


def best_time(meeting, *, first, last):
    candidates, _rows, _gaps = slot_candidates(meeting, first=first, last=last, step=30, limit=1)
    return candidates[0].start if candidates else None


def mark_invited(meeting, now):
    """The demo's invitations count as sent, without queuing dozens of emails into the
    demo's outbox (as the demo's decisions are released). `send_invitations` is what
    a coordinator's button does."""
    for group in meeting.groups.all():
        add_participants(meeting, people=members_of_group(group))
    meeting.invitations.update(sent_sequence=meeting.sequence, invited_at=now)


def load_demo_meetings(call, *, by):
    """Returns a line for load_demo's summary."""
    conference = call.conference
    now = timezone.now()
    give_demo_awardees_their_zones(call)
    created = 0
    with transaction.atomic():
        plans = []
        for region in Region:
            titles = {}
            for code, text in REGIONAL_TITLE.items():
                with translation.override(code):
                    titles[code] = text.format(region=region.label)
            plans.append(
                (
                    f"region-{region.value}",
                    {
                        "title": titles,
                        "agenda": REGIONAL_AGENDA,
                        "format": MeetingFormat.ONLINE,
                        "online_link": f"https://meet.example.org/aids2028-{region.value}",
                        "time_zone": ORGANISER_ZONES[region],
                        "duration_minutes": 90,
                        "interpretation_languages": ["fr", "es", "ru"],
                    },
                    [(GroupKind.REGION_AWARDEES, call, region.value)],
                )
            )
        plans.append(
            (
                "all-regions",
                {
                    "title": ALL_TITLE,
                    "agenda": ALL_AGENDA,
                    "format": MeetingFormat.ONLINE,
                    "online_link": "https://meet.example.org/aids2028-all",
                    "time_zone": conference.time_zone,
                    "duration_minutes": 60,
                    "interpretation_languages": ["fr", "es", "ru", "zh-hans"],
                },
                [(GroupKind.CALL_AWARDEES, call, ""), (GroupKind.STAFF, None, "")],
            )
        )
        for name, fields, groups in plans:
            if PrepMeeting.objects.filter(public_id=demo_id(name)).exists():
                continue
            meeting = create_meeting(
                conference=conference,
                by=by,
                groups=groups,
                starts_at=now + timedelta(days=14),
                **fields,
            )
            meeting.public_id = demo_id(name)
            start = best_time(meeting, first=now + timedelta(days=7), last=now + timedelta(days=21))
            meeting.starts_at = start or meeting.starts_at
            meeting.save(update_fields=["public_id", "starts_at"])
            mark_invited(meeting, now)
            created += 1

        if not PrepMeeting.objects.filter(public_id=demo_id("venue")).exists():
            venue = zoneinfo.ZoneInfo(conference.time_zone)
            eve = conference.start_date - timedelta(days=1)
            meeting = create_meeting(
                conference=conference,
                by=by,
                groups=[(GroupKind.CALL_AWARDEES, call, ""), (GroupKind.STAFF, None, "")],
                title=VENUE_TITLE,
                agenda=VENUE_AGENDA,
                format=MeetingFormat.IN_PERSON,
                room="Meeting room 1.40",
                address=f"{conference.venue}, {conference.city}",
                starts_at=datetime.combine(eve, time(16), venue),
                time_zone=conference.time_zone,
                duration_minutes=120,
                interpretation_languages=["fr", "es", "ru", "zh-hans"],
                capacity=30,
            )
            meeting.public_id = demo_id("venue")
            meeting.save(update_fields=["public_id"])
            mark_invited(meeting, now)
            # A few answers already in, so the pages have something to show.
            for number, invitation in enumerate(meeting.invitations.order_by("pk")[:8]):
                invitation.rsvp = (Rsvp.YES, Rsvp.YES, Rsvp.MAYBE, Rsvp.NO)[number % 4]
                invitation.responded_at = now
                invitation.save(update_fields=["rsvp", "responded_at"])
            created += 1
    total = PrepMeeting.objects.filter(conference=conference).count()
    return f"Prep meetings: {created} created, {total} in all (coordinators: /manage/meetings/)."
