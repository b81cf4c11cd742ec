"""Concurrent retries of one POST against a live server (gunicorn, 2 worker processes of 4 threads): from
threads and from processes, they end with exactly one row and the same answer for all."""

import multiprocessing
import threading
import uuid

import pytest
import requests

from tests.live_server import gunicorn, prepare, scratch_database, server_env

pytestmark = pytest.mark.live
EMAIL, PASSWORD = "live@test.com", "live-test-password"
RETRIES = 8


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("live")
    with scratch_database(tmp_path) as url:
        env = server_env(url, tmp_path)
        prepare(env, EMAIL, PASSWORD)
        with gunicorn(env) as base:
            yield base


def send(base, key, body):
    session = requests.Session()
    session.trust_env = False
    response = session.post(f"{base}/api/v2/expenses/", json=body, auth=(EMAIL, PASSWORD),
                            headers={"Idempotency-Key": key}, timeout=60)
    return response.status_code, response.json()


def _process(base, key, body, barrier, results):
    barrier.wait(30)
    results.put(send(base, key, body))


def rows_of_type(base, type_):
    response = requests.get(f"{base}/api/v2/expenses/", params={"type": type_}, auth=(EMAIL, PASSWORD), timeout=30)
    return response.json()["results"]


def check_one_row(base, type_, answers):
    assert {status for status, _ in answers} == {201}, answers
    assert len({body["id"] for _, body in answers}) == 1
    assert len(rows_of_type(base, type_)) == 1


def test_concurrent_retries_from_threads_make_one_row(server):
    key, body = str(uuid.uuid4()), {"type": "threads", "amount": "12.50"}
    send(server, str(uuid.uuid4()), {"type": "warm-up", "amount": "1"})  # workers started, credentials cached
    barrier, answers = threading.Barrier(RETRIES), []

    def retry():
        barrier.wait(30)
        answers.append(send(server, key, body))

    threads = [threading.Thread(target=retry) for _ in range(RETRIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert len(answers) == RETRIES
    check_one_row(server, "threads", answers)


def test_concurrent_retries_from_processes_make_one_row(server):
    key, body = str(uuid.uuid4()), {"type": "processes", "amount": "7"}
    send(server, str(uuid.uuid4()), {"type": "warm-up", "amount": "1"})
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(RETRIES), context.Queue()
    processes = [context.Process(target=_process, args=(server, key, body, barrier, results))
                 for _ in range(RETRIES)]
    for process in processes:
        process.start()
    answers = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(30)
    check_one_row(server, "processes", answers)
    # Another body under the same key is refused, and still nothing more is stored.
    status, refused = send(server, key, {"type": "processes", "amount": "8"})
    assert status == 422 and refused["error"]["code"] == "idempotency_key_reused"
    assert len(rows_of_type(server, "processes")) == 1
