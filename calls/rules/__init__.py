"""Pure rules of the calls app (no database): one module per area."""
