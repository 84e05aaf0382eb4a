from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        # After the admin found every app's admin module: procrastinate's own tables are the
        # queue's bookkeeping, and people follow their jobs in this app's admin instead.
        from django.contrib import admin
        from procrastinate.contrib.django import models

        for model in (
            models.ProcrastinateJob,
            models.ProcrastinateEvent,
            models.ProcrastinatePeriodicDefer,
            models.ProcrastinateWorker,
        ):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
