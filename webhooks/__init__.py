"""Webhooks: URLs that receive a user's expense created / updated / deleted events as signed JSON, delivered
by the job queue with retries and a delivery log (docs/api-v2.md, "Webhooks"; docs/capture.md)."""
