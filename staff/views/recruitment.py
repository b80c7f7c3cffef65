"""Browser pages for recruitment."""

from django.urls import URLPattern

# Mounted under /staff/ by staff/urls.py; names in the "staff" namespace.
urls: list[URLPattern] = []
