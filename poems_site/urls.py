from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api.urls import api_v1
from poems_site.accounts import AdminSignInForm, SignInForm

# The admin's sign-in takes the same bounds as the app's.
admin.site.login_form = AdminSignInForm

# Only the account pages the product offers: no password reset, as the app sends no email.
accounts = [
    path("login/", auth_views.LoginView.as_view(form_class=SignInForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include(accounts)),
    path("api/v1/", api_v1),
    path("", include("api.urls")),
    # Before the assessment's: its step pages would take "course" for a step's name.
    path("", include("followup.urls")),
    path("", include("assessment.urls")),
    path("", include("review.urls")),
]
