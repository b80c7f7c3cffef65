"""Pure rules of the surveys app: no database."""
