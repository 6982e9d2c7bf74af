"""The application wizard: named steps, answers saved in the draft row on every "next"."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlWizardView, StepsHelper, WizardView

from ..answers import answer_sections
from ..enums import ApplicationStatus
from ..forms import APPLICATION_STEPS, EligibilityForm, step_data
from ..queries import PUBLISHED_CALL, draft_for_call, draft_of, load_questions
from ..services import ScholarshipError, start_application, submit_application
from ..wizard import ApplicationDraftStorage

STEP_NAMES = [name for name, _form in APPLICATION_STEPS]
# The call's questions each step's form (or, for the review, every form) reads.
QUESTIONS_OF_STEP = {
    "eligibility": ["eligibility_questions"],
    "motivation": ["motivation_questions"],
    "review": ["eligibility_questions", "motivation_questions"],
}


def application_start(request, slug):
    """The call's eligibility questions; a draft exists only once they are passed."""
    call = PUBLISHED_CALL.first(slug=slug)
    if call is None:
        raise Http404("No such call open to the public.")
    existing = draft_for_call(request.user, call)
    if existing:
        return redirect(resume_url(existing))
    if not call.is_open():
        messages.info(request, _("This call is not taking applications."))
        return redirect(call)
    load_questions(call, "eligibility_questions")
    form = EligibilityForm(
        request.POST if request.method == "POST" else None, call=call, prefix="eligibility"
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                application = start_application(
                    call, applicant=request.user, eligibility_data=step_data(form)
                )
            except ScholarshipError as error:
                messages.error(request, str(error))
                return redirect(call)
            return redirect(resume_url(application))
        if form.has_error("__all__", "ineligible"):
            # Nothing is stored for a person who cannot apply.
            return render(
                request,
                "scholarships/application_not_eligible.html",
                {"call": call, "questions": form.failed_questions()},
            )
    return render(request, "scholarships/application_start.html", {"call": call, "form": form})


def resume_url(application):
    if application.status != ApplicationStatus.DRAFT or not application.call.is_open():
        return application.get_absolute_url()
    completed = set((application.draft or {}).get("step_data", {}))
    step = next((name for name in STEP_NAMES if name not in completed), STEP_NAMES[-1])
    return reverse(
        "scholarships:application-step",
        kwargs={"public_id": application.public_id, "step": step},
    )


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class ApplicationWizard(NamedUrlWizardView):
    form_list = APPLICATION_STEPS
    template_name = "scholarships/application_step.html"
    file_storage = default_storage
    url_name = "scholarships:application-step"
    done_step_name = "done"

    def dispatch(self, request, *args, **kwargs):
        # A POST reads its row under a lock held until the request is done: a step saved
        # or a "send" from another tab, or a second tap, waits, then reads what this one
        # wrote (submit_application locks the same row again, inside this transaction).
        if request.method == "POST":
            with transaction.atomic():
                return self.dispatch_on(request, *args, lock=True, **kwargs)
        return self.dispatch_on(request, *args, lock=False, **kwargs)

    def dispatch_on(self, request, *args, lock, **kwargs):
        self.application = draft_of(request.user, kwargs["public_id"], lock=lock)
        if self.application is None:
            raise Http404("No such application of this person.")
        if self.application.status != ApplicationStatus.DRAFT:
            return redirect(self.application)
        # The call came with the application; its questions only where a step asks them.
        self.call = self.application.call
        load_questions(self.call, *QUESTIONS_OF_STEP.get(kwargs.get("step"), ()))
        if not self.call.is_open():
            messages.info(
                request,
                _("The call has closed, so this application can no longer be changed or sent."),
            )
            return redirect(self.application)
        # As WizardView.dispatch, with a storage bound to this application's row.
        self.prefix = self.get_prefix(request, *args, **kwargs)
        self.storage = ApplicationDraftStorage(
            self.application, self.prefix, request, self.file_storage
        )
        self.steps = StepsHelper(self)
        response = super(WizardView, self).dispatch(request, *args, **kwargs)
        self.storage.update_response(response)
        return response

    @cached_property
    def steps_url(self):
        """The steps' common address, up to the step's name: the step list and the review
        link to every step, and one reverse() a request serves them all."""
        first = STEP_NAMES[0]
        url = reverse(
            self.url_name, kwargs={"public_id": self.application.public_id, "step": first}
        )
        return url.removesuffix(f"{first}/")

    def get_step_url(self, step):
        if step not in STEP_NAMES:
            raise ValueError(f"Not a step of the application: {step!r}")
        return f"{self.steps_url}{step}/"

    def get_form_kwargs(self, step=None):
        return {"call": self.call}

    def first_incomplete_step(self):
        completed = self.storage.completed_steps()
        return next((name for name in STEP_NAMES if name not in completed), STEP_NAMES[-1])

    def get(self, request, *args, **kwargs):
        # A GET only shows a step: it never resets or submits anything.
        step = kwargs.get("step")
        if step not in STEP_NAMES or STEP_NAMES.index(step) > STEP_NAMES.index(
            self.first_incomplete_step()
        ):
            return redirect(self.get_step_url(self.first_incomplete_step()))
        self.storage.current_step = step
        return self.render(
            self.get_form(
                data=self.storage.current_step_data, files=self.storage.current_step_files
            )
        )

    def post(self, request, *args, **kwargs):
        step = kwargs.get("step")
        goto = request.POST.get("wizard_goto_step")
        if (
            step in STEP_NAMES
            and goto in STEP_NAMES
            and STEP_NAMES.index(goto) < STEP_NAMES.index(step)
        ):
            return redirect(self.get_step_url(goto))
        management = ManagementForm(request.POST, prefix=self.prefix)
        if (
            step not in STEP_NAMES
            or not management.is_valid()
            or management.cleaned_data["current_step"] != step
        ):
            messages.error(
                request, _("This page was out of date. Nothing was changed: please try again.")
            )
            return redirect(self.get_step_url(step if step in STEP_NAMES else STEP_NAMES[0]))
        if STEP_NAMES.index(step) > STEP_NAMES.index(self.first_incomplete_step()):
            return redirect(self.get_step_url(self.first_incomplete_step()))
        self.storage.current_step = step
        form = self.get_form(data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.render(form)
        self.storage.set_step_data(step, self.process_step(form))
        if step == "documents":
            if form.cleaned_data.get("remove_letter"):
                self.storage.remove_step_file(step, form.add_prefix("support_letter"))
            self.storage.set_step_files(step, self.process_step_files(form))
        if step == STEP_NAMES[-1]:
            return self.submit()
        return redirect(self.get_step_url(self.first_incomplete_step_after(step)))

    def first_incomplete_step_after(self, step):
        """The next step, or straight back to the review when everything is answered."""
        completed = self.storage.completed_steps()
        if set(STEP_NAMES[:-1]) <= completed:
            return STEP_NAMES[-1]
        return STEP_NAMES[STEP_NAMES.index(step) + 1]

    def process_step(self, form):
        # Only this form's own fields are kept, never whatever else was posted.
        return step_data(form)

    def process_step_files(self, form):
        letter = form.cleaned_data.get("support_letter")
        return {form.add_prefix("support_letter"): letter} if letter else {}

    def submit(self):
        """Validate every step again, then submit; a failing step is shown, nothing saved."""
        answers = {}
        for step in STEP_NAMES:
            try:
                files = self.storage.get_step_files(step)
            except FileNotFoundError:
                # An upload the draft names is gone from the storage (a second tap on
                # "send" got here before the row lock covered it): its page says so.
                return redirect(self.application)
            form = self.get_form(step=step, data=self.storage.get_step_data(step), files=files)
            if not form.is_valid():
                messages.error(self.request, _("Please check this step again."))
                return redirect(self.get_step_url(step))
            answers[step] = form.cleaned_data
        try:
            application, submitted_now = submit_application(
                self.application, answers=answers, by=self.request.user
            )
        except ScholarshipError as error:
            messages.error(self.request, str(error))
            return redirect(self.application)
        self.storage.reset()
        if submitted_now:
            messages.success(
                self.request,
                _("Your application is sent. We emailed you a confirmation."),
            )
        return redirect(application)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        completed = self.storage.completed_steps()
        last_reachable = STEP_NAMES.index(self.first_incomplete_step())
        context.update(
            application=self.application,
            call=self.call,
            step_title=form.title,
            step_list=[
                {
                    "name": name,
                    "title": form_class.title,
                    "complete": name in completed,
                    "current": name == self.steps.current,
                    "url": self.get_step_url(name),
                    "reachable": number <= last_reachable,
                }
                for number, (name, form_class) in enumerate(APPLICATION_STEPS)
            ],
        )
        if self.steps.current == "documents":
            stored = self.storage.get_step_files("documents") or {}
            context["stored_letter"] = next(iter(stored.values()), None)
        if self.steps.current == STEP_NAMES[-1]:
            context["summary"] = answer_sections(
                self.application, call=self.call, step_data=self.storage.data["step_data"]
            )
            for section in context["summary"]:
                section["url"] = self.get_step_url(section["name"])
        return context
