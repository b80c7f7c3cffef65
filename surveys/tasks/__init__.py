"""The surveys app's Celery tasks, one module per area; Celery's autodiscovery (which imports this
package) registers them."""

from . import invitations  # noqa: F401
