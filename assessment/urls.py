from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
