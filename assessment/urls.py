from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("assessments/new/", views.assessment_new, name="new"),
    path("assessments/new/live/", views.live_verdict, name="new_live"),
    path("assessments/<uuid:pk>/summary/", views.assessment_summary, name="summary"),
    path("assessments/<uuid:pk>/pdf/", views.assessment_pdf, name="pdf"),
    path("assessments/<uuid:pk>/sign/", views.assessment_sign, name="sign"),
    path("assessments/<uuid:pk>/withdraw/", views.assessment_withdraw, name="withdraw"),
    path("assessments/<uuid:pk>/delete/", views.assessment_delete, name="delete"),
    path(
        "assessments/<uuid:pk>/notices/<int:notice_id>/seen/",
        views.notice_seen,
        name="notice_seen",
    ),
    path("assessments/<uuid:pk>/<slug:slug>/", views.assessment_step, name="step"),
    path("assessments/<uuid:pk>/<slug:slug>/live/", views.live_verdict, name="live"),
    path("healthz", views.healthz, name="healthz"),
]
