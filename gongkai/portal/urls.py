from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("guide/<str:code>/", views.guide, name="guide"),
    path("apply/", views.apply, name="apply"),
    path("apply/submitted/", views.submitted, name="submitted"),
    path("status/", views.lookup, name="lookup"),
]
