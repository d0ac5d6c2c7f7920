from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts import idle

        user_logged_in.connect(idle.start_on_login, dispatch_uid="accounts.idle.start_on_login")
