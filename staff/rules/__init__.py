"""Pure staff rules with no database: a module per area."""
