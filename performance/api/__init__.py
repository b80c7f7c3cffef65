"""The performance app's API endpoints (mounted by contactcentre/api_urls.py)."""
