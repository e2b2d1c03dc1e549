from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from identity.models import User


class SignUpForm(UserCreationForm):
    """Sign-up asks only what an account needs; residency is verified separately."""

    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("Used only to reset your password; never shown publicly."),
    )

    class Meta:
        model = User
        fields = ["username", "email"]
        labels = {"username": _("User name")}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email address already exists."))
        return email

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()


class LogInForm(AuthenticationForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")
