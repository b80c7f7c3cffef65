"""The performance app's browser forms, one module per area."""
