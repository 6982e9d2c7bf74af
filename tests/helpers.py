import threading

from django.db import connection
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


def race(count, action, *, refused):
    """Run `action(index)` for each index below `count`, each in its own thread and on its
    own database connection, all released at once; their results, and the `refused`
    errors they raised (any other error fails in its thread and leaves a result out)."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait()
            results.append(action(index))
        except refused as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
