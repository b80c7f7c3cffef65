"""The browser side of calls, one module per screen family."""
