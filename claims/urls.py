from django.urls import path

from . import views

app_name = "claims"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("cover-check/<int:customer_id>/", views.cover_check, name="cover-check"),
    path("cover-check/result/<int:check_id>/pre-authorise/", views.pre_authorise, name="pre-authorise"),
    path("new/<int:customer_id>/", views.claim_new, name="new"),
    path("<int:pk>/", views.claim_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.claim_action, name="action"),
]
