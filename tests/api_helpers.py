"""Helpers for API tests: read bodies of plain and streamed responses."""

import json
import xml.etree.ElementTree as ET


def content(response) -> bytes:
    """The body; a streamed one is read once and remembered."""
    if getattr(response, "streaming", False):
        if not hasattr(response, "_test_body"):
            response._test_body = b"".join(response.streaming_content)
        return response._test_body
    return response.content


def as_json(response):
    return json.loads(content(response))


def as_xml(response) -> ET.Element:
    return ET.fromstring(content(response))


def xml_resources(response) -> list[dict]:
    """Each `<resource>` of an XML response as {tag: text}."""
    root = as_xml(response)
    assert root.tag == "response"
    return [{child.tag: child.text or "" for child in resource} for resource in root.findall("resource")]


def error_of(response, status: int) -> str:
    assert response.status_code == status, (response.status_code, content(response))
    assert response["Content-Type"].startswith("application/json")
    body = as_json(response)
    assert body["status"] == status
    return body["error"]
