from django.urls import path

from . import views

app_name = "annual"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/report.<str:fmt>", views.preview, name="preview"),
    path("<int:pk>/drill/<str:row>/<str:column>/", views.drill, name="drill"),
]

public_urlpatterns = [
    path("", views.archive, name="archive"),
    path("<int:pk>/report.<str:fmt>", views.public_document, name="public_document"),
]
