"""/api/v1/ endpoints for recruitment."""

from django.urls import URLPattern

# Mounted under /api/v1/ by contactcentre/api_urls.py (no namespace).
urls: list[URLPattern] = []
