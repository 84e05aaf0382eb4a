"""Signing in, with bounds: a username or password longer than any account's is refused in the
form, before authentication, so nothing that long reaches the sign-in throttle's records."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm

# Passwords are hashed whatever their length; a page of text is not a password.
MOST_PASSWORD_CHARACTERS = 1024


def _bounded(form_class):
    class Bounded(form_class):
        def clean_username(self):
            username = self.cleaned_data["username"]
            most = get_user_model()._meta.get_field("username").max_length
            if len(username) > most:
                raise forms.ValidationError(f"A username has at most {most} characters.")
            return username

        def clean_password(self):
            password = self.cleaned_data["password"]
            if len(password) > MOST_PASSWORD_CHARACTERS:
                raise forms.ValidationError(
                    f"A password has at most {MOST_PASSWORD_CHARACTERS} characters here."
                )
            return password

    Bounded.__name__ = Bounded.__qualname__ = f"Bounded{form_class.__name__}"
    return Bounded


SignInForm = _bounded(AuthenticationForm)
AdminSignInForm = _bounded(AdminAuthenticationForm)
