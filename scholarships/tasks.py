from django.tasks import task


@task()
def propose_selection_task(call_id: int, objective: str, fixed_awards, threshold: float, user_id):
    # Ids and numbers only: task arguments are stored in plain text.
    from accounts.models import User

    from .models import Call
    from .services import propose_selection

    call = Call.objects.get(pk=call_id)
    by = User.objects.filter(pk=user_id).first()
    run = propose_selection(
        call, objective=objective, by=by, fixed_awards=fixed_awards, threshold=threshold
    )
    return run.pk
