"""The staff app's browser forms, a module per area."""
