"""A review panel for the demo call: a rubric, thirteen reviewers, assignments by the solver,
and about two thirds of the reviews written (deterministic, so load_demo stays idempotent)."""

import random

from django.utils import timezone

from accounts.models import User
from scholarships.enums import Recommendation, ReviewStatus
from scholarships.models import Criterion, PanelMember, ReviewAssignment
from scholarships.services import assign_reviewers

CRITERIA = [
    (
        {
            "en": "Relevance to the conference",
            "fr": "Pertinence pour la conférence",
            "es": "Pertinencia para la conferencia",
            "ru": "Значимость для конференции",
            "zh-hans": "与大会的相关性",
        },
        3,
    ),
    (
        {
            "en": "Links with the community",
            "fr": "Liens avec la communauté",
            "es": "Vínculos con la comunidad",
            "ru": "Связь с сообществом",
            "zh-hans": "与社区的联系",
        },
        2,
    ),
    (
        {
            "en": "What will be brought back",
            "fr": "Ce qui sera rapporté",
            "es": "Lo que se llevará de vuelta",
            "ru": "Что будет привезено обратно",
            "zh-hans": "将带回的成果",
        },
        1,
    ),
]

# email, display name, country, languages read
PANEL = [
    ("reviewer@demo.example", "Lin", "TH", ["en", "zh-hans"]),
    ("panel-01@demo.example", "Awa", "ML", ["en", "fr"]),
    ("panel-02@demo.example", "Chidi", "GH", ["en"]),
    ("panel-03@demo.example", "Mariana", "CL", ["es", "en"]),
    ("panel-04@demo.example", "Lucía", "UY", ["es"]),
    ("panel-05@demo.example", "Irina", "MD", ["ru", "en"]),
    ("panel-06@demo.example", "Aizhan", "TJ", ["ru"]),
    ("panel-07@demo.example", "Wei", "MY", ["zh-hans", "en"]),
    ("panel-08@demo.example", "Sophie", "BE", ["fr", "en"]),
    ("panel-09@demo.example", "Jo", "NZ", ["en"]),
    ("panel-10@demo.example", "Tasha", "BS", ["en", "es"]),
    ("panel-11@demo.example", "Hélène", "CA", ["fr", "en"]),
    ("panel-12@demo.example", "Ani", "AM", ["ru", "en"]),
]


def load_demo_reviews(call, *, by):
    """Create what is missing of the demo panel; return (assignments, submitted reviews)."""
    for position, (name, weight) in enumerate(CRITERIA):
        Criterion.objects.update_or_create(
            call=call, position=position, defaults={"name": name, "weight": weight, "scale": 5}
        )
    for email, display_name, country, languages in PANEL:
        reviewer, created = User.objects.get_or_create(
            email=email,
            defaults={"display_name": display_name, "country": country, "is_reviewer": True},
        )
        if created:
            reviewer.set_unusable_password()
            reviewer.save(update_fields=["password"])
        PanelMember.objects.get_or_create(
            call=call,
            reviewer=reviewer,
            defaults={"languages": languages, "min_reviews": 20, "max_reviews": 90},
        )
    assign_reviewers(call, by=by)
    criteria = list(call.criteria.all())
    for assignment in ReviewAssignment.objects.filter(
        application__call=call, status=ReviewStatus.DRAFT
    ).select_related("member__reviewer"):
        # Seeded by the pair, so that a second run decides the same way.
        rng = random.Random(f"{assignment.application_id}-{assignment.member_id}")
        if rng.random() > 0.66:
            continue
        email = assignment.member.reviewer.email
        leniency = sum(map(ord, email)) % 3 - 1  # some harsh, some kind
        base = rng.randint(2, 5)
        assignment.scores = {
            str(c.pk): max(1, min(5, base + leniency + rng.choice([-1, 0, 0, 1]))) for c in criteria
        }
        assignment.recommendation = rng.choice(Recommendation.values)
        assignment.status = ReviewStatus.SUBMITTED
        assignment.submitted_at = timezone.now()
        assignment.save()
    reviews = ReviewAssignment.objects.filter(application__call=call)
    return reviews.count(), reviews.filter(status=ReviewStatus.SUBMITTED).count()


REGION_TARGETS = {
    # region: (smallest share, largest share, estimated cost of one award in USD)
    "africa": ("0.15", "0.40", "2800"),
    "asia_pacific": ("0.15", "0.40", "3200"),
    "europe": ("0.10", "0.30", "2500"),
    "latin_america": ("0.10", "0.35", "3000"),
    "north_america_caribbean": ("0.05", "0.25", "2200"),
}


def load_demo_policy(call, *, by):
    """A balance policy for the demo call and, the first time, one proposed selection."""
    from djmoney.money import Money

    from scholarships.models import BalancePolicy, SelectionRun
    from scholarships.services import propose_selection

    policy, _created = BalancePolicy.objects.update_or_create(
        call=call, defaults={"budget": Money("70000.00", "USD"), "first_time_min_share": "0.30"}
    )
    for region, (low, high, cost) in REGION_TARGETS.items():
        policy.region_targets.update_or_create(
            region=region,
            defaults={"min_share": low, "max_share": high, "estimated_cost": cost},
        )
    for gender, share in (("woman", "0.40"), ("transgender", "0.12")):
        policy.gender_targets.update_or_create(gender=gender, defaults={"min_share": share})
    if not SelectionRun.objects.filter(call=call).exists():
        propose_selection(call, objective="merit", by=by)
    return SelectionRun.objects.filter(call=call).first()
