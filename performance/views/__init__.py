"""The performance app's pages, one module per area; each module ends with its `urlpatterns`."""
