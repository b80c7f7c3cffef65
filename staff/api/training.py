"""/api/v1/ endpoints for training."""

from django.urls import URLPattern

# Mounted under /api/v1/ by contactcentre/api_urls.py (no namespace).
urls: list[URLPattern] = []
