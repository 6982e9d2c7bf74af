from django.tasks import task


@task()
def send_meeting_reminders_task():
    # Nothing travels in the arguments: the service reads what is due.
    from .services import send_due_reminders

    return send_due_reminders()
