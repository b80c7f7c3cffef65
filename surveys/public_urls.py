"""The member's side: the survey link and opting out. No login: the signed token is the key."""

from .views import public

urlpatterns = [*public.urls]
