from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "gongkai.agencies"
    verbose_name = _("机关与人员")
    default_auto_field = "django.db.models.BigAutoField"
