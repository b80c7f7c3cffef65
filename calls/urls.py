from django.urls import path

from . import views

app_name = "calls"
urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("nurse/", views.nurse_desk, name="nurse-desk"),
]
