"""The browser side of the surveys app, one module per area."""
