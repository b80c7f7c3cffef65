"""Forms for training: the catalogue's filters, scheduling a session, enrolling someone, recording a
result, and raising, planning and filtering training needs."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Course, CourseKind, Employee, NeedStatus, Site, TrainingSession, User

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        from staff.templatetags.staff_tags import local_name

        if isinstance(obj, Employee):
            return f"{local_name(obj.user)} ({obj.employee_number})"
        return local_name(obj)


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session) -> str:
        starts = timezone.localtime(session.starts_at).strftime("%d/%m/%Y %H:%M")
        taken = getattr(session, "taken", None)
        places = f" · {taken}/{session.capacity}" if taken is not None else ""
        return f"{session.course.title} · {starts} · {session.site.name}{places}"


class CourseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *CourseKind.choices])

    def arguments(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {"search": self.cleaned_data["q"].strip(), "kind": self.cleaned_data["kind"]}


class SessionForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.filter(is_active=True))
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)
    )
    trainer = PersonField(label=_("Trainer"), queryset=User.objects.none(), required=False)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=200, initial=12)

    def __init__(self, *args, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = trainers


class EnrolForm(forms.Form):
    employee = PersonField(label=_("Person"), queryset=Employee.objects.none())
    session = SessionChoiceField(
        label=_("Session"),
        queryset=TrainingSession.objects.none(),
        required=False,
        empty_label=_("Not booked into a session yet"),
    )
    due_by = forms.DateField(label=_("Due by"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, employees, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees
        self.fields["session"].queryset = sessions


class CompletionForm(forms.Form):
    score = forms.IntegerField(label=_("Score (%)"), required=False, min_value=0, max_value=100)
    completed_on = forms.DateField(
        label=_("Completed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class NeedForm(forms.Form):
    employee = PersonField(label=_("Person"), queryset=Employee.objects.none())
    course = forms.ModelChoiceField(
        label=_("Course that would meet it"),
        queryset=Course.objects.filter(is_active=True),
        required=False,
        empty_label=_("Not decided yet"),
    )
    description = forms.CharField(label=_("What is needed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees


class NeedPlanForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.filter(is_active=True), required=False)
    session = SessionChoiceField(
        label=_("Session"),
        queryset=TrainingSession.objects.none(),
        required=False,
        empty_label=_("Not booked into a session yet"),
    )
    due_by = forms.DateField(label=_("Due by"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, sessions, course_fixed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        if course_fixed:
            del self.fields["course"]


class NeedFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *NeedStatus.choices])

    def arguments(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {"search": self.cleaned_data["q"].strip(), "status": self.cleaned_data["status"]}
