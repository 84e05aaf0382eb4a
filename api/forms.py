from django import forms

from api import tokens
from api.models import ApiToken


class TokenForm(forms.ModelForm):
    days = forms.TypedChoiceField(
        label="Expires after",
        choices=[(days, f"{days} days") for days in tokens.LIFETIMES_DAYS],
        coerce=int,
        initial=90,
        help_text="An expired token is refused; create a new one then.",
    )

    class Meta:
        model = ApiToken
        fields = ["name", "scope"]
        widgets = {"scope": forms.RadioSelect}
        help_texts = {"name": "What it is for, such as the program using it."}
