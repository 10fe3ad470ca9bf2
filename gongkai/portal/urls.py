from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import catalogue, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("guide/<str:code>/", views.guide, name="guide"),
    path("apply/", views.apply, name="apply"),
    path("apply/submitted/", views.submitted, name="submitted"),
    path("status/", views.lookup, name="lookup"),
    # 主动公开
    path("catalogue/", catalogue.directory, name="directory"),
    path("catalogue/<str:code>/", catalogue.agency_directory, name="agency_directory"),
    path("items/", catalogue.item_list, name="items"),
    path("items/<path:index_number>/", catalogue.item_detail, name="item"),
    path("files/<int:pk>/", catalogue.attachment, name="attachment"),
    path("search/", catalogue.search, name="search"),
    path("feed/", catalogue.LatestItemsFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": catalogue.SITEMAPS}, name="sitemap"),
]
