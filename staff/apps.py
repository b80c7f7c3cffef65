from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff")

    def ready(self) -> None:
        # Roles are Django groups whose permissions are declared in staff/roles.py; after every
        # migrate the groups are brought in line with that declaration.
        post_migrate.connect(_sync_roles, dispatch_uid="staff-roles")
        from .models import User

        # Cached permissions (staff/auth.py) are forgotten when a person's roles or permissions change.
        m2m_changed.connect(_forget_permissions, sender=User.groups.through, dispatch_uid="staff-perms-groups")
        m2m_changed.connect(_forget_permissions, sender=User.user_permissions.through, dispatch_uid="staff-perms-user")
        from django.contrib.auth.models import Group

        m2m_changed.connect(
            _forget_everyones_permissions, sender=Group.permissions.through, dispatch_uid="staff-perms-group-perms"
        )


def _sync_roles(sender, app_config=None, using="default", **kwargs) -> None:
    # Run once, after the last app has migrated, when every permission row exists.
    from django.apps import apps

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if app_config is not None and app_config is not last:
        return
    from .services import roles_sync

    roles_sync(using=using)


def _forget_permissions(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    from .auth import permissions_forget

    if reverse:  # changed from the group's (or permission's) side: many users may be affected
        permissions_forget()
    else:
        permissions_forget(instance.pk)


def _forget_everyones_permissions(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        from .auth import permissions_forget

        permissions_forget()
