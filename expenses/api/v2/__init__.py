"""`/api/v2/`: DRF viewsets on a router (urls.py), JSON only, described by OpenAPI 3 at /api/v2/schema/."""
