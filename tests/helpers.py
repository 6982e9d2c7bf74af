from django_otp import DEVICE_ID_SESSION_KEY

from accounts.two_factor import TOTPDevice


def sign_in(client, user, *, second_factor=True):
    """Log in as `user`; staff (and anyone with a device) also pass the second factor."""
    client.force_login(user)
    if second_factor and (
        user.is_reviewer or user.is_coordinator or user.is_finance or user.is_staff
    ):
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, name="test", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def drain(response):
    """Read a response and close its file, without `response.close()`: that would send
    request_finished, which closes the test's database connection on PostgreSQL."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    for closer in getattr(response, "_resource_closers", []):
        closer()
    return content
