from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("figures/", views.figures_index, name="figures"),
    path("figures/import/", views.figures_import, name="figures_import"),
    path("figures/template.csv", views.figures_template, name="figures_template"),
    path("figures/<str:code>/<int:year>/", views.figures_edit, name="figures_edit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
