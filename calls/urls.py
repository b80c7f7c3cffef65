from django.urls import path

from .views import desk

app_name = "calls"
urlpatterns = [
    path("desk/", desk.desk, name="desk"),
    path("nurse/", desk.nurse_desk, name="nurse-desk"),
]
