"""The ledger names what a message is about as "<type>:<id>" instead of three foreign keys.

So the messaging layer knows no other app's models: the app owning the type re-reads the subject
at send time. Every row keeps its subject (a care plan's messages name the care plan); reversible.
"""

from django.db import migrations, models
from django.db.models import Q


def name_subjects(apps, schema_editor):
    OutgoingMessage = apps.get_model("clinic", "OutgoingMessage")
    for field, subject_type in (("care_plan", "care_plan"), ("intake", "intake"), ("appointment", "appointment")):
        rows = OutgoingMessage.objects.filter(subject="", **{f"{field}__isnull": False})
        for pk, subject_id in rows.values_list("pk", f"{field}_id").iterator():
            OutgoingMessage.objects.filter(pk=pk).update(subject=f"{subject_type}:{subject_id}")


def restore_foreign_keys(apps, schema_editor):
    OutgoingMessage = apps.get_model("clinic", "OutgoingMessage")
    CarePlan = apps.get_model("clinic", "CarePlan")
    for pk, subject in OutgoingMessage.objects.values_list("pk", "subject").iterator():
        subject_type, _, subject_id = subject.partition(":")
        fields = {f"{subject_type}_id": int(subject_id)}
        if subject_type == "care_plan":
            fields["appointment_id"] = CarePlan.objects.get(pk=subject_id).appointment_id
        OutgoingMessage.objects.filter(pk=pk).update(**fields)


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0003_staff_roles_see_messages_and_care_plans"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingmessage",
            name="subject",
            field=models.CharField(
                default="",
                help_text='What the message is about, "<type>:<id>", e.g. "appointment:12"',
                max_length=64,
            ),
            preserve_default=False,
        ),
        migrations.RemoveConstraint(model_name="outgoingmessage", name="message_has_subject"),
        migrations.RunPython(name_subjects, restore_foreign_keys),
        migrations.RemoveIndex(model_name="outgoingmessage", name="message_by_appointment"),
        migrations.RemoveField(model_name="outgoingmessage", name="appointment"),
        migrations.RemoveField(model_name="outgoingmessage", name="intake"),
        migrations.RemoveField(model_name="outgoingmessage", name="care_plan"),
        migrations.AddIndex(
            model_name="outgoingmessage",
            index=models.Index(fields=["subject", "kind", "status"], name="message_by_subject"),
        ),
        migrations.AddConstraint(
            model_name="outgoingmessage",
            constraint=models.CheckConstraint(condition=~Q(subject=""), name="message_has_subject"),
        ),
    ]
