"""The ledger keeps its recipients as a list of whole addresses, never a comma-joined string.

Rows written before held "a@x.example,b@y.example": each becomes ["a@x.example", "b@y.example"]
(the only reading those rows ever had). Going back joins the list with commas again.
"""

from django.db import migrations, models

BATCH = 500


def split_recipients(apps, schema_editor):
    OutgoingMessage = apps.get_model("messaging", "OutgoingMessage")
    changed = []
    for message in OutgoingMessage.objects.only("pk", "recipient").iterator(chunk_size=BATCH):
        message.recipients = [address.strip() for address in message.recipient.split(",") if address.strip()]
        changed.append(message)
        if len(changed) >= BATCH:
            OutgoingMessage.objects.bulk_update(changed, ["recipients"])
            changed = []
    OutgoingMessage.objects.bulk_update(changed, ["recipients"])


def join_recipients(apps, schema_editor):
    OutgoingMessage = apps.get_model("messaging", "OutgoingMessage")
    changed = []
    for message in OutgoingMessage.objects.only("pk", "recipients").iterator(chunk_size=BATCH):
        message.recipient = ",".join(message.recipients or [])
        changed.append(message)
        if len(changed) >= BATCH:
            OutgoingMessage.objects.bulk_update(changed, ["recipient"])
            changed = []
    OutgoingMessage.objects.bulk_update(changed, ["recipient"])


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0003_waitlist_offer_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingmessage",
            name="recipients",
            field=models.JSONField(default=list, help_text="The addresses, each one whole"),
        ),
        migrations.RunPython(split_recipients, join_recipients),
        migrations.RemoveField(
            model_name="outgoingmessage",
            name="recipient",
        ),
    ]
