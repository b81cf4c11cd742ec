"""Receipts on S3-compatible storage (django-storages), against a local S3 server the test starts (moto's
server mode on a free port): files and thumbnails in the bucket, served back, removed with their receipt."""

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.api_helpers import content
from tests.expenses.v2.receipt_files import image, pdf
from tests.expenses.v2.test_receipts import upload
from tests.factories import ExpenseFactory
from tests.processes import run_python

pytestmark = pytest.mark.django_db
BUCKET = "xpenser-receipts"
KEYS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, **KEYS)
    s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "us-east-1",
                    "access_key": KEYS["aws_access_key_id"], "secret_key": KEYS["aws_secret_access_key"],
                    "location": "media", "default_acl": None, "file_overwrite": True}}}
    yield s3
    listed = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in listed:
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def keys(s3) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_receipts_and_thumbnails_live_in_the_bucket(api, user, bucket, client, auth, media_root,
                                                    django_capture_on_commit_callbacks):
    expense = ExpenseFactory(owner=user)
    data = image("JPEG")
    body = upload(api, expense, data, name="lunch.jpg").json()
    stored = keys(bucket)
    assert len(stored) == 2 and all(key.startswith("media/Receipts/") for key in stored)
    assert any(key.endswith("/lunch.jpg") for key in stored) and any(key.endswith("/thumbnail.jpg") for key in stored)
    assert not media_root.exists() or not any(media_root.rglob("*.*"))  # nothing on local disk
    assert content(api.get(body["file"])) == data
    assert api.get(body["thumbnail"])["Content-Type"] == "image/jpeg"
    # The legacy families show it at its unguessable public URL, served from the bucket too.
    legacy = client.get(f"/api/v1.0/expense/{expense.pk}", **auth).json()["receipt"]
    assert content(client.get(legacy.removeprefix("http://testserver"))) == data
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"expenses/{expense.pk}/receipts/{body['id']}").status_code == 204
    assert keys(bucket) == []


def test_a_refused_upload_leaves_the_bucket_empty(api, user, bucket):
    expense = ExpenseFactory(owner=user)
    assert upload(api, expense, pdf()[:2000], name="cut.pdf").status_code == 400
    assert keys(bucket) == []


def test_the_environment_selects_s3(tmp_path, s3_endpoint):
    probe = ("import json, django; django.setup(); from django.core.files.storage import storages; "
             "s = storages['default']; print(json.dumps([type(s).__name__, s.bucket_name, s.endpoint_url, "
             "s.region_name, s.location, s.addressing_style]))")
    assert run_python(probe, tmp_path, DJANGO_SETTINGS_MODULE="xpenser_server.settings", DJANGO_SECRET_KEY="probe",
                      XPENSER_S3_BUCKET=BUCKET, XPENSER_S3_ENDPOINT_URL=s3_endpoint, XPENSER_S3_REGION="eu-west-1",
                      XPENSER_S3_PREFIX="receipts", XPENSER_S3_ADDRESSING_STYLE="path") == [
        "S3Storage", BUCKET, s3_endpoint, "eu-west-1", "receipts", "path"]
