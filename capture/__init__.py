"""Capture from anywhere: expenses by email (SMTP receiver, hosted services' inbound webhooks, IMAP polling)."""
