from django.urls import path

from followup import views

app_name = "followup"

urlpatterns = [
    path("assessments/<uuid:pk>/course/", views.course, name="course"),
    path("assessments/<uuid:pk>/visits/new/", views.visit_new, name="visit_new"),
    path("assessments/<uuid:pk>/visits/<int:visit_id>/", views.visit_edit, name="visit_edit"),
    path(
        "assessments/<uuid:pk>/visits/<int:visit_id>/delete/",
        views.visit_delete,
        name="visit_delete",
    ),
    path("assessments/<uuid:pk>/visits/<int:visit_id>/sign/", views.visit_sign, name="visit_sign"),
]
