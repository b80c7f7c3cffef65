"""/api/v1/ endpoints of the calls app."""
