"""Jobs are tried again after a failure, later each time; after their last attempt they are dead jobs."""

import datetime as dt
import logging
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from jobs import retry, services
from jobs.models import DeadJob
from jobs.retry import backoff_seconds
from tests.jobs import tasks

# The worker runs in this process and closes connections left in a transaction: these tests commit for real.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("database_queue")]


@pytest.fixture(autouse=True)
def _fresh_calls():
    tasks.CALLS.clear()


def work():
    call_command("jobs_worker", batch=True, verbosity=0, startup_delay=False, reload=False)


def dead_job_of(reason: str) -> DeadJob:
    """A job of tests.jobs.tasks.broken run until it is a dead job (the test sets no backoff)."""
    tasks.broken.enqueue(reason=reason)
    work()
    return DeadJob.objects.get(kwargs__reason=reason)


def test_a_failed_attempt_is_enqueued_again_after_the_backoff(settings):
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 30
    tasks.flaky.enqueue(fail_times=1, key="a")
    before = timezone.now()
    work()
    first, second = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == "FAILED" and "ConnectionError: attempt 1 failed" in first.traceback
    assert second.status == "READY"
    assert second.args_kwargs["kwargs"] == {"fail_times": 1, "key": "a", "job_attempt": 2}
    assert before + dt.timedelta(seconds=29) < second.run_after < timezone.now() + dt.timedelta(seconds=31)
    assert DeadJob.objects.count() == 0


def test_the_backoff_doubles_up_to_six_hours():
    assert [backoff_seconds(n, 30) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_seconds(30, 30) == 6 * 3600


def test_a_job_that_succeeds_on_a_later_attempt_is_done(settings):
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    result = tasks.flaky.enqueue(fail_times=2, key="b")
    work()
    rows = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert rows == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert DBTaskResult.objects.get(status="SUCCESSFUL").return_value == "done"
    assert len(tasks.CALLS) == 3 and DeadJob.objects.count() == 0
    assert result.id != DBTaskResult.objects.get(status="SUCCESSFUL").pk


def test_a_job_out_of_attempts_is_a_dead_job_with_its_error(settings):
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    tasks.broken.enqueue(reason="the disk is full")
    work()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 2
    dead = DeadJob.objects.get()
    assert (dead.task_path, dead.attempts, dead.exception_class) == ("tests.jobs.tasks.broken", 2, "builtins.ValueError")
    assert dead.error == "the disk is full" and "ValueError: the disk is full" in dead.traceback
    assert dead.kwargs == {"reason": "the disk is full"} and dead.args == []
    last = DBTaskResult.objects.order_by("enqueued_at").last()
    assert dead.result_id == str(last.pk)


def test_give_up_is_dead_at_once(settings):
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    tasks.hopeless.enqueue(reason="the expense is gone")
    work()
    assert DBTaskResult.objects.count() == 1
    assert DeadJob.objects.get().attempts == 1


def test_the_admin_lists_dead_jobs_with_filters_and_retries_them(admin_client, settings):
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    tasks.broken.enqueue(reason="no route to host")
    work()
    page = admin_client.get("/admin/jobs/deadjob/", {"task_path": "tests.jobs.tasks.broken"})
    assert page.status_code == 200
    assert b"no route to host" in page.content and b"By task path" in page.content
    dead = DeadJob.objects.get()
    assert admin_client.get(f"/admin/jobs/deadjob/{dead.pk}/change/").status_code == 200
    response = admin_client.post("/admin/jobs/deadjob/", {"action": "retry", "_selected_action": [dead.pk]})
    assert response.status_code == 302
    dead.refresh_from_db()
    assert dead.retried_at is not None
    again = DBTaskResult.objects.filter(status="READY").get()
    assert again.args_kwargs["kwargs"] == {"reason": "no route to host"}


def test_two_retries_of_one_dead_job_enqueue_it_once(settings):
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    tasks.broken.enqueue(reason="timeout")
    work()
    first, second = DeadJob.objects.get(), DeadJob.objects.get()  # two admins, each with the row as it was
    answers = [services.dead_job_retry(dead_job=dead) for dead in (first, second, first)]
    again = DBTaskResult.objects.filter(status="READY").get()
    assert answers == [True, False, False]
    assert again.args_kwargs["kwargs"] == {"reason": "timeout"}
    assert DeadJob.objects.get().retried_at == first.retried_at


TWO_BACKENDS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "slow"]},
                "other": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "slow"]}}


def test_a_dead_job_is_retried_on_the_queue_backend_and_priority_it_ran_with(settings):
    settings.TASKS = TWO_BACKENDS
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    tasks.broken.using(queue_name="slow", backend="other", priority=7).enqueue(reason="timeout")
    call_command("jobs_worker", batch=True, verbosity=0, startup_delay=False, reload=False, queue_name="slow",
                 backend="other")
    dead = DeadJob.objects.get()
    assert (dead.queue_name, dead.backend, dead.priority, dead.attempts) == ("slow", "other", 7, 2)
    assert services.dead_job_retry(dead_job=dead) is True
    again = DBTaskResult.objects.get(status="READY")
    assert (again.queue_name, again.backend_name, again.priority, again.args_kwargs["kwargs"]) == (
        "slow", "other", 7, {"reason": "timeout"})


def test_a_dead_job_kept_before_its_queue_was_recorded_is_retried_as_the_task_declares(settings, monkeypatch):
    settings.TASKS = TWO_BACKENDS
    monkeypatch.setattr(tasks, "broken", tasks.broken.using(queue_name="slow", backend="other", priority=5))
    dead = DeadJob.objects.create(task_path="tests.jobs.tasks.broken", kwargs={"reason": "old"}, attempts=2,
                                  exception_class="builtins.ValueError", error="old")
    assert (dead.queue_name, dead.backend, dead.priority) == ("", "", None)  # what the migration leaves
    assert services.dead_job_retry(dead_job=dead) is True
    again = DBTaskResult.objects.get(status="READY")
    assert (again.queue_name, again.backend_name, again.priority) == ("slow", "other", 5)


@pytest.mark.parametrize("where, error", [
    ({"queue_name": "gone"}, "InvalidTaskError: Queue 'gone' is not valid for backend."),
    ({"backend": "gone"}, "InvalidTaskBackendError: The connection 'gone' doesn't exist."),
    ({"queue_name": "gone", "backend": ""}, "InvalidTaskError: Queue 'gone' is not valid for backend."),
])
def test_the_admin_names_a_queue_or_backend_no_longer_configured(admin_client, settings, where, error):
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    dead = dead_job_of("timeout")
    DeadJob.objects.filter(pk=dead.pk).update(**where)
    page = admin_client.post("/admin/jobs/deadjob/", {"action": "retry", "_selected_action": [dead.pk]},
                             follow=True)
    assert page.status_code == 200
    queue, backend = (where.get(name, "default") or "as declared" for name in ("queue_name", "backend"))
    message = (f"Dead job {dead.pk} (tests.jobs.tasks.broken; queue {queue}, backend {backend}) was not enqueued "
               f"({error}); it can be retried once that is fixed.")
    assert [str(shown) for shown in page.context["messages"]] == [message]
    assert escape(message) in page.content.decode()  # as written: the task path keeps its case
    assert DeadJob.objects.get().retried_at is None
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_the_admin_says_a_dead_job_retried_already_is_not_enqueued_again(admin_client, settings):
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    dead = dead_job_of("timeout")
    form = {"action": "retry", "_selected_action": [dead.pk]}
    pages = [admin_client.post("/admin/jobs/deadjob/", form, follow=True) for _ in range(2)]
    assert [page.status_code for page in pages] == [200, 200]
    assert [[str(message) for message in page.context["messages"]] for page in pages] == [
        ["1 job(s) enqueued again."], ["1 job(s) were enqueued again already: not enqueued twice."]]
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_a_retry_whose_enqueue_fails_leaves_the_dead_job_to_retry(settings, monkeypatch):
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    dead = dead_job_of("timeout")

    def refused(*args, **kwargs):
        raise ConnectionError("the queue is down")

    monkeypatch.setattr(type(tasks.broken), "enqueue", refused)
    with pytest.raises(ConnectionError):
        services.dead_job_retry(dead_job=dead)
    assert DeadJob.objects.get().retried_at is None
    monkeypatch.undo()
    assert services.dead_job_retry(dead_job=DeadJob.objects.get()) is True
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_the_admin_reports_a_retry_the_queue_refuses_and_enqueues_the_others(admin_client, settings,
                                                                             monkeypatch, caplog):
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    refused, accepted = dead_job_of("timeout"), dead_job_of("dns")
    enqueue = type(tasks.broken).enqueue

    def enqueue_unless_timeout(task, *args, **kwargs):
        if kwargs.get("reason") == "timeout":
            raise ConnectionError("the queue is down")
        return enqueue(task, *args, **kwargs)

    monkeypatch.setattr(type(tasks.broken), "enqueue", enqueue_unless_timeout)
    form = {"action": "retry", "_selected_action": [refused.pk, accepted.pk]}
    with caplog.at_level(logging.ERROR, logger="jobs"):
        page = admin_client.post("/admin/jobs/deadjob/", form, follow=True)
    assert page.status_code == 200
    logged = [r for r in caplog.records if r.getMessage().endswith("the retry was not enqueued")]
    assert [(r.getMessage(), r.exc_info[0]) for r in logged] == [
        (f"dead job {refused.pk} (tests.jobs.tasks.broken): the retry was not enqueued", ConnectionError)]
    assert sorted(str(message) for message in page.context["messages"]) == [
        "1 job(s) enqueued again.",
        f"Dead job {refused.pk} (tests.jobs.tasks.broken; queue default, backend default) was not enqueued "
        "(ConnectionError: the queue is down); "
        "it can be retried once that is fixed.",
    ]
    assert (DeadJob.objects.get(pk=refused.pk).retried_at, DeadJob.objects.get(pk=accepted.pk).retried_at is None) \
        == (None, False)
    assert [r.args_kwargs["kwargs"] for r in DBTaskResult.objects.filter(status="READY")] == [{"reason": "dns"}]


def test_the_admin_lets_a_retry_lost_before_the_queue_be_retried_again(admin_client, settings):
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    dead = dead_job_of("timeout")
    form = {"action": "allow_retry", "_selected_action": [dead.pk]}

    def allow() -> list[str]:
        return [str(message) for message in admin_client.post("/admin/jobs/deadjob/", form, follow=True)
                .context["messages"]]

    marked = timezone.now() - services.RETRY_LOST_AFTER
    DeadJob.objects.filter(pk=dead.pk).update(retried_at=marked + dt.timedelta(seconds=5))  # then its process died
    kept = ["1 job(s) left marked retried: the queue took their retry (see its retry result id), or it is less "
            "than 5 minutes old."]
    assert allow() == kept  # it may still be on its way to the queue
    DeadJob.objects.filter(pk=dead.pk).update(retried_at=marked - dt.timedelta(seconds=5))
    assert allow() == ["1 job(s) can be enqueued again."]
    assert DeadJob.objects.get().retried_at is None
    assert services.dead_job_retry(dead_job=DeadJob.objects.get()) is True
    again = DBTaskResult.objects.get(status="READY")
    assert DeadJob.objects.get().retry_result_id == str(again.pk)
    # The queue took this retry: allowing it again would run it twice, however old the mark (or the run's row).
    DeadJob.objects.filter(pk=dead.pk).update(retried_at=marked - dt.timedelta(hours=1))
    again.delete()  # prune_db_task_results
    assert allow() == kept
    assert DeadJob.objects.get().retried_at is not None


def test_a_retry_whose_mark_was_taken_back_during_its_enqueue_is_marked_again(settings, monkeypatch):
    settings.XPENSER_JOBS_BACKOFF_SECONDS = 0
    dead_job_of("slow queue")
    enqueue = type(tasks.broken).enqueue

    def slow_enqueue(task, *args, **kwargs):  # meanwhile an administrator allowed it again
        DeadJob.objects.update(retried_at=None)
        return enqueue(task, *args, **kwargs)

    monkeypatch.setattr(type(tasks.broken), "enqueue", slow_enqueue)
    assert services.dead_job_retry(dead_job=DeadJob.objects.get()) is True
    dead, again = DeadJob.objects.get(), DBTaskResult.objects.get(status="READY")
    assert dead.retried_at is not None and dead.retry_result_id == str(again.pk)


def test_failures_noted_for_task_finished_are_bounded_when_it_never_comes(monkeypatch):
    monkeypatch.setattr(retry, "HANDLED_MAX", 3)
    monkeypatch.setattr(retry, "_HANDLED", type(retry._HANDLED)())
    ids = [f"result-{n}" for n in range(5)]
    for result_id in ids:  # each attempt raises; no backend sends task_finished for it
        context = SimpleNamespace(task_result=SimpleNamespace(id=result_id, task=tasks.hopeless, args=(),
                                                              kwargs={"reason": "gone"}))
        with pytest.raises(retry.GiveUp):
            tasks.hopeless.func(context, reason="gone")
    assert len(retry._HANDLED) == 3
    assert [retry.failure_handled(result_id) for result_id in ids] == [False, False, True, True, True]
    assert [retry.failure_handled(result_id) for result_id in ids] == [False] * 5  # true once
    assert DeadJob.objects.count() == 5
