from django.tasks import task

from . import services


@task()
def deliver_email_task(email_id: int):
    # Only the id travels: task arguments are stored in plain text.
    return services.deliver_email(email_id)
