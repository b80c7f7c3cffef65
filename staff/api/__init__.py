"""/api/v1/ endpoints of the staff app, a module per area (people: who am I, sites, teams)."""

from .people import MeApi, SiteViewSet, TeamViewSet

__all__ = ["MeApi", "SiteViewSet", "TeamViewSet"]
