from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("team/", views.team_workspace, name="team"),
    path("people/", views.hr_workspace, name="hr"),
]
