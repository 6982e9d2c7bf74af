"""The sign-in backend: Django's ModelBackend, loading one more fact with the user."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from .two_factor import TOTPDevice


@cache
def confirmed_device_sql(user_model):
    """`EXISTS (a confirmed authenticator of the row's user)`, as SQL.

    Written out rather than as `Exists(TOTPDevice.objects.filter(...))`: this runs on
    every request of every signed-in person, and compiling the subquery took half of
    the time of loading the user (about 0.4 ms of CPU a request, 5 % of a wizard step).
    Table and column names come from the models' metadata, quoted; nothing from a request.
    """
    quote = connection.ops.quote_name
    device = TOTPDevice._meta
    table = quote(device.db_table)
    user_pk = f"{quote(user_model._meta.db_table)}.{quote(user_model._meta.pk.column)}"
    return (
        f"EXISTS (SELECT 1 FROM {table} "  # noqa: S608
        f"WHERE {table}.{quote(device.get_field('user').column)} = {user_pk} "
        f"AND {table}.{quote(device.get_field('confirmed').column)})"
    )


@cache
def user_sql(user_model):
    """The ORM's own SELECT of a user by primary key, with the flag, compiled once.

    Loading the signed-in person is the one query of every request; compiling it took
    about half of its CPU time. The SQL is the ORM's, from the models' metadata (so it
    follows every migration), with the primary key as its single parameter.
    """
    queryset = (
        user_model._default_manager.order_by()
        .annotate(
            confirmed_device_loaded=RawSQL(  # noqa: S611 - no input: see confirmed_device_sql
                confirmed_device_sql(user_model), (), output_field=BooleanField()
            )
        )
        .filter(pk=0)
    )
    sql, params = queryset.query.sql_with_params()
    if params != (0,):
        raise ValueError(f"Expected the primary key as the only parameter, not {params!r}.")
    return sql


class UserBackend(ModelBackend):
    """Load whether the person has an authenticator app in the query that loads them.

    `TwoFactorMiddleware` asks this on every request of a signed-in person whose session
    has not given a second factor (every applicant, on every page): answered here, it
    costs nothing more than the user's own row. The answer is the state when the
    request began; `has_confirmed_device` reads it.
    """

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user_id = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        low, high = connection.ops.integer_field_range(user_model._meta.pk.get_internal_type())
        if not low <= user_id <= high:  # as the ORM's lookup: no such person
            return None
        user = next(iter(user_model._default_manager.raw(user_sql(user_model), [user_id])), None)
        if user is None:
            return None
        # SQLite answers EXISTS with 0 or 1.
        user.confirmed_device_loaded = bool(user.confirmed_device_loaded)
        return user if self.user_can_authenticate(user) else None
