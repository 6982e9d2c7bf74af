import uuid

import pytest
from django.db import connection, transaction
from django.db.models.sql.compiler import SQLCompiler

from config.compiled import CompiledQuery
from scholarships.models import Application
from scholarships.queries import (
    APPLICATION_CARDS,
    DRAFT,
    LOCKED_DRAFT,
    application_cards_of,
    applications_of,
    calls_visible_to,
    draft_for_call,
    draft_of,
    drafts_of,
    load_questions,
    own_application,
    visible_call,
)
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    EligibilityQuestionFactory,
    MotivationQuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

APPLICANT = Application._meta.get_field("applicant")
PUBLIC_ID = Application._meta.get_field("public_id")


def loaded(application):
    """What an instance holds: its loaded fields, and its call's, without a query."""
    return (
        {name: value for name, value in vars(application).items() if not name.startswith("_")},
        {name: value for name, value in vars(application.call).items() if name[0] != "_"},
    )


def test_a_compiled_draft_is_the_orm_s_own_object_in_one_query(django_assert_num_queries):
    application = ApplicationFactory(is_draft=True)
    ApplicationFactory(is_draft=True, applicant=application.applicant)  # another of hers
    expected = drafts_of(application.applicant).get(public_id=application.public_id)

    with django_assert_num_queries(1):
        found = draft_of(application.applicant, application.public_id)
        state = loaded(found)

    assert type(found) is Application and found.pk == application.pk
    assert found.get_deferred_fields() == expected.get_deferred_fields()
    assert state == loaded(expected)


def test_a_compiled_query_compiles_once_and_answers_for_each_run_s_values(monkeypatch):
    first, second = ApplicationFactory(is_draft=True), ApplicationFactory(is_draft=True)
    query = CompiledQuery(
        lambda applicant, public_id: drafts_of(applicant).filter(public_id=public_id),
        applicant=APPLICANT,
        public_id=PUBLIC_ID,
    )
    assert query.all(applicant=first.applicant_id, public_id=first.public_id)[0].pk == first.pk
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler,
        "as_sql",
        lambda self, *a, **k: compiled.append(self) or original(self, *a, **k),
    )

    found = query.all(applicant=second.applicant_id, public_id=second.public_id)

    assert [application.pk for application in found] == [second.pk]
    assert compiled == []


def test_a_compiled_query_works_out_its_converters_once_per_connection(monkeypatch):
    # An application's answers are encrypted: their converter decrypts them.
    first, second = (
        ApplicationFactory(is_draft=True, motivation={"1": f"Why I apply, {number}"})
        for number in (1, 2)
    )
    query = CompiledQuery(
        lambda public_id: Application.objects.filter(public_id=public_id), public_id=PUBLIC_ID
    )
    worked_out = []
    original = SQLCompiler.get_converters
    monkeypatch.setattr(
        SQLCompiler,
        "get_converters",
        lambda self, expressions: worked_out.append(self) or original(self, expressions),
    )

    found = [query.first(public_id=application.public_id) for application in (first, second)]

    assert len(worked_out) == 1
    assert [application.motivation for application in found] == [
        {"1": "Why I apply, 1"},
        {"1": "Why I apply, 2"},
    ]


def test_another_person_s_application_or_an_unknown_one_is_not_found():
    application = ApplicationFactory(is_draft=True)
    other = ApplicationFactory(is_draft=True)

    assert draft_of(other.applicant, application.public_id) is None
    assert draft_of(application.applicant, uuid.uuid4()) is None
    assert DRAFT.all(applicant=application.applicant_id, public_id=application.public_id)


def test_the_locked_draft_is_read_for_update_inside_the_transaction():
    application = ApplicationFactory(is_draft=True)

    with transaction.atomic():
        found = draft_of(application.applicant, application.public_id, lock=True)

    assert found.pk == application.pk
    sql = LOCKED_DRAFT.compiled["default"][2]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in sql
    assert "FOR UPDATE" not in DRAFT.compiled["default"][2]


@pytest.mark.parametrize(
    "build",
    [
        # The value in two places: which one a run's value should replace is unknown.
        lambda applicant: Application.objects.filter(applicant=applicant, call_id=applicant),
        # The value in no place.
        lambda applicant: Application.objects.filter(status="draft"),
    ],
)
def test_a_queryset_whose_values_cannot_be_placed_is_refused(build):
    query = CompiledQuery(build, applicant=APPLICANT)

    with pytest.raises(ValueError, match="places of the SQL, not one"):
        query.all(applicant=1)


def test_a_call_is_read_by_its_slug_as_calls_visible_to_reads_it(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    published, unpublished = CallFactory(), CallFactory(draft=True)
    visitor, coordinator = AnonymousUser(), UserFactory(coordinator=True)

    with django_assert_num_queries(1):
        found = visible_call(visitor, published.slug)
        conference = found.conference.name

    assert found == calls_visible_to(visitor).get(slug=published.slug)
    assert conference == published.conference.name
    assert visible_call(visitor, unpublished.slug) is None
    assert visible_call(visitor, "no-such-call") is None
    assert visible_call(coordinator, unpublished.slug) == unpublished


def test_the_application_to_a_call_is_found_for_its_applicant_only():
    application = ApplicationFactory(is_draft=True)
    stranger = UserFactory()

    assert draft_for_call(application.applicant, application.call) == application
    assert draft_for_call(stranger, application.call) is None
    assert draft_for_call(application.applicant, CallFactory()) is None


def test_my_applications_cards_and_an_application_s_page_read_what_the_orm_reads():
    mine = ApplicationFactory(is_draft=True)
    second = ApplicationFactory(applicant=mine.applicant)
    ApplicationFactory()  # someone else's
    applicant = mine.applicant

    cards = APPLICATION_CARDS.all(applicant=applicant.pk)

    assert [loaded(card) for card in cards] == [
        loaded(card) for card in application_cards_of(applicant)
    ]
    assert {card.pk for card in cards} == {mine.pk, second.pk}
    expected = applications_of(applicant).get(public_id=second.public_id)
    assert loaded(own_application(applicant, second.public_id)) == loaded(expected)
    assert own_application(UserFactory(), second.public_id) is None


def test_a_call_s_questions_are_left_as_prefetch_related_objects_leaves_them(
    django_assert_num_queries,
):
    from django.db.models import prefetch_related_objects

    from scholarships.models import Call

    call, other = CallFactory(), CallFactory()
    for position in (2, 1, 3):
        EligibilityQuestionFactory(call=call, position=position)
        MotivationQuestionFactory(call=call, position=position)
    EligibilityQuestionFactory(call=other)
    names = ("eligibility_questions", "motivation_questions")
    expected = Call.objects.get(pk=call.pk)
    prefetch_related_objects([expected], *names)

    with django_assert_num_queries(2):
        load_questions(call, *names)
    with django_assert_num_queries(0):
        for name in names:
            questions = list(getattr(call, name).all())
            assert questions == list(getattr(expected, name).all())
            assert [question.position for question in questions] == [1, 2, 3]
            assert all(question.call is call for question in questions)
