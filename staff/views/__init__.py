"""The staff app's browser pages, a module per area."""
