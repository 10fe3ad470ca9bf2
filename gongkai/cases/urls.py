from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.register, name="register"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<int:pk>/result/", views.appeal_result, name="appeal_result"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/letters/<str:kind>.<str:fmt>", views.letter, name="letter"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
