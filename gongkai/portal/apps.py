from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    verbose_name = _("公开门户")
    default_auto_field = "django.db.models.BigAutoField"
