"""Reads of the staff app, a module per area (people: users, teams, sites, workspaces)."""

from .people import people_list, teams_led_by, user_roles, workspace_url_for

__all__ = ["people_list", "teams_led_by", "user_roles", "workspace_url_for"]
