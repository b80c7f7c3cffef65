"""Writes of the calls app: one module per area, one function per use case."""
