from django.urls import path

from .views import appraisal, employees, quality, recruitment, training
from .views import people as views

app_name = "staff"
urlpatterns = [
    path("team/", views.team_workspace, name="team"),
    path("people/", views.hr_workspace, name="hr"),
    *employees.urls,
    *recruitment.urls,
    *training.urls,
    *appraisal.urls,
    *quality.urls,
]
