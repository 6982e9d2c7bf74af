import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.enums import Role
from accounts.rules import is_coordinator, is_finance, is_reviewer, is_staff_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("traits", "roles"),
    [
        ({}, [Role.APPLICANT]),
        ({"reviewer": True}, [Role.APPLICANT, Role.REVIEWER]),
        ({"coordinator": True}, [Role.APPLICANT, Role.COORDINATOR]),
        ({"finance": True}, [Role.APPLICANT, Role.FINANCE]),
        (
            {"reviewer": True, "coordinator": True, "finance": True},
            [Role.APPLICANT, Role.REVIEWER, Role.COORDINATOR, Role.FINANCE],
        ),
    ],
)
def test_roles_are_applicant_plus_what_staff_granted(traits, roles):
    assert UserFactory(**traits).roles == roles


@pytest.mark.parametrize(
    ("traits", "expected"),
    [
        ({}, (False, False, False, False)),
        ({"reviewer": True}, (True, False, False, True)),
        ({"coordinator": True}, (False, True, False, True)),
        ({"finance": True}, (False, False, True, True)),
        # An admin is not a coordinator unless given the role: no superuser shortcut.
        ({"admin": True}, (False, False, False, False)),
    ],
)
def test_role_predicates(traits, expected):
    user = UserFactory(**traits)

    assert (is_reviewer(user), is_coordinator(user), is_finance(user), is_staff_role(user)) == (
        expected
    )


def test_a_deactivated_coordinator_loses_the_role_at_once():
    user = UserFactory(coordinator=True, is_active=False)

    assert not is_coordinator(user)
    assert not user.has_perm("scholarships.manage_calls")


def test_anonymous_has_no_role():
    anonymous = AnonymousUser()

    assert not (is_reviewer(anonymous) or is_coordinator(anonymous) or is_finance(anonymous))


def test_one_may_edit_only_ones_own_profile():
    person, other = UserFactory(), UserFactory()

    assert person.has_perm("accounts.edit_profile", person)
    assert not person.has_perm("accounts.edit_profile", other)
