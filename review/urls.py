from django.urls import path

from review import views

app_name = "review"

urlpatterns = [
    path("assessments/<uuid:pk>/queries/<int:query_id>/answer/", views.answer, name="answer"),
]
