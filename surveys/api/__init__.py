"""The surveys app's REST API (/api/v1/surveys/...), one module per area."""
