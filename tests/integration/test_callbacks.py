"""Callbacks and webhooks, fired by state, sent to a real receiver on 127.0.0.1: the mock served
by uvicorn in a thread, the receiver a real HTTP server in another (``tests/receiver.py``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver.config import Config
from mockserver.server import build_mock, serve_in_thread
from tests.receiver import DEADLINE_SECONDS, Receiver, receiving

pytestmark = pytest.mark.server

SPECS = Path(__file__).parent.parent / "data" / "specs" / "outgoing"
CALLBACKS, WEBHOOKS = SPECS / "callbacks.yaml", SPECS / "webhooks.yaml"


@contextmanager
def served(spec: Path, **settings: Any) -> Iterator[httpx.Client]:
    """A client of the mock serving ``spec`` (no credentials needed), on a loopback port."""
    mock = build_mock(Config(specs=(spec,), port=0, require_credentials=False, **settings))
    background = serve_in_thread(mock.app)
    try:
        with httpx.Client(base_url=background.url, timeout=DEADLINE_SECONDS) as client:
            yield client
    finally:
        background.stop()


def deliveries(client: httpx.Client, until: Callable[[list[dict[str, Any]]], bool]) -> list[dict[str, Any]]:
    """The delivery journal once ``until`` holds of it, polled with a deadline."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        listed = client.get("/__mockserver/deliveries").json()
        if until(listed) or time.monotonic() > deadline:
            return listed
        time.sleep(0.02)  # polling the journal, with a deadline


def settled(listed: list[dict[str, Any]]) -> bool:
    return bool(listed) and all(delivery["outcome"] != "pending" for delivery in listed)


def order(receiver: Receiver, client: httpx.Client, **headers: str) -> dict[str, Any]:
    answer = client.post("/orders", json={"item": "lamp", "quantity": 2, "callbackUrl": receiver.url + "/hooks"},
                         headers=headers)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def test_a_callback_arrives_with_the_stored_item_at_the_url_its_expression_names() -> None:
    with receiving() as receiver, served(CALLBACKS) as client:
        created = order(receiver, client)
        arrived = sorted((receiver.next(), receiver.next()), key=lambda received: received.method)
        shipped, audited = arrived[0], arrived[1]
        assert (shipped.method, shipped.path) == ("POST", "/hooks")
        assert shipped.body == created == client.get(f"/orders/{created['id']}").json()
        assert shipped.headers["content-type"] == "application/json"
        # literal text around expressions; $response.body; a body not the item's: the example
        assert (audited.method, audited.path) == ("PUT", f"/hooks/audit?order={created['id']}")
        assert audited.body == {"auditor": "example-auditor", "passed": True}
        listed = deliveries(client, settled)
        assert {(d["name"], d["outcome"], d["status"], d["trigger"]) for d in listed} == {
            ("orderShipped", "delivered", 200, "createOrder"), ("orderAudited", "delivered", 200, "createOrder")}


def test_the_answer_is_not_delayed_by_a_receiver_that_has_not_answered() -> None:
    with receiving(gate=threading.Event()) as receiver, served(CALLBACKS) as client:
        started = time.monotonic()
        created = order(receiver, client)  # answered while the receiver holds both callbacks
        answered = time.monotonic()
        first = receiver.next()
        assert answered - started < DEADLINE_SECONDS / 2
        assert receiver.gate is not None and not receiver.gate.is_set()
        assert first.body in (created, {"auditor": "example-auditor", "passed": True})
        assert all(d["outcome"] == "pending" for d in client.get("/__mockserver/deliveries").json())
        receiver.gate.set()
        assert all(d["outcome"] == "delivered" for d in deliveries(client, settled))


def test_callbacks_and_webhooks_are_sent_once_the_answer_has_been() -> None:
    """``Prefer: fault=dribble`` sends the answer in 8 parts over about a second: what it caused
    arrives after the last, not while the client is still reading."""
    with receiving() as receiver, served(CALLBACKS) as client:
        started = time.monotonic()
        created = order(receiver, client, Prefer="fault=dribble")
        answered = time.monotonic()
        arrived = [receiver.next(), receiver.next()]
        assert answered - started >= 0.8  # the answer took its second to arrive
        assert all(received.arrived >= started + 0.8 for received in arrived), [
            received.arrived - started for received in arrived]
        assert created in [received.body for received in arrived]
    with receiving() as receiver, served(WEBHOOKS, webhook_urls=(("newPet", receiver.url),)) as client:
        started = time.monotonic()
        assert client.post("/pets", json={"name": "Rex"}, headers={"Prefer": "fault=dribble"}).status_code == 201
        assert receiver.next().arrived >= started + 0.8


def test_a_5xx_is_retried_and_every_attempt_journaled() -> None:
    with receiving(statuses=[503, 502, 200, 200]) as receiver, served(
            CALLBACKS, callback_retries=2) as client:
        order(receiver, client)
        listed = deliveries(client, settled)
        attempts = sorted(len(d["attempts"]) for d in listed)
        assert sum(attempts) == 4 and attempts[-1] >= 2
        assert all(d["outcome"] == "delivered" for d in listed)
        retried = next(d for d in listed if len(d["attempts"]) > 1)
        assert retried["attempts"][0]["status"] in (502, 503)


def test_a_receiver_that_keeps_failing_is_journaled_as_failed_after_the_retries() -> None:
    with receiving(statuses=[500] * 4) as receiver, served(CALLBACKS, callback_retries=1) as client:
        order(receiver, client)
        listed = deliveries(client, settled)
        assert [(d["outcome"], d["status"], len(d["attempts"])) for d in listed] == [("failed", 500, 2)] * 2
        assert all(d["reason"] == "answered 500 after 2 attempts" for d in listed)
        assert all("status 500 is not documented" in d["violations"][0] for d in listed)


def test_a_receivers_answer_that_breaks_the_callbacks_responses_is_journaled() -> None:
    with receiving(answer={"ok": "yes"}) as receiver, served(CALLBACKS) as client:
        order(receiver, client)
        listed = {d["name"]: d for d in deliveries(client, settled)}
        assert listed["orderAudited"]["violations"] == [
            "field 'ok' of the receiver's answer must be of type boolean (got string)"]
        assert listed["orderShipped"]["violations"] == [  # it documents 204 only
            "status 200 is not documented by the callback orderShipped's responses"]
        assert listed["orderShipped"]["outcome"] == "delivered"  # a 2xx all the same


def test_prefer_callbacks_none_suppresses_them_for_that_request_only() -> None:
    with receiving() as receiver, served(CALLBACKS) as client:
        order(receiver, client, Prefer="callbacks=none")
        assert client.get("/__mockserver/deliveries").json() == []  # decided before the answer: none
        order(receiver, client)
        assert len(deliveries(client, lambda listed: len(listed) == 2 and settled(listed))) == 2
        assert receiver.next() and receiver.next() and receiver.count() == 0


def test_a_host_not_allowed_is_not_contacted_and_the_refusal_is_journaled() -> None:
    with receiving() as receiver, served(CALLBACKS, callback_hosts=("hooks.example.test",)) as client:
        order(receiver, client)
        listed = client.get("/__mockserver/deliveries").json()  # refused before the answer was sent
        assert [d["outcome"] for d in listed] == ["refused", "refused"]
        assert "host '127.0.0.1' is not one callbacks and webhooks may be sent to" in listed[0]["reason"]
        assert receiver.count() == 0


def test_deleting_the_deliveries_empties_them_and_a_web_page_cannot() -> None:
    with served(CALLBACKS) as client:
        client.post("/orders", json={"item": "lamp", "quantity": 1, "callbackUrl": "http://hooks.example.test/x"})
        assert len(client.get("/__mockserver/deliveries").json()) == 2  # refused: not a loopback host
        page = {"Origin": "http://evil.test", "Content-Type": "text/plain"}
        assert client.delete("/__mockserver/deliveries", headers=page).status_code == 403
        assert len(client.get("/__mockserver/deliveries").json()) == 2
        assert client.delete("/__mockserver/deliveries").status_code == 204
        assert client.get("/__mockserver/deliveries").json() == []


def test_a_callback_url_that_is_not_http_is_refused() -> None:
    with served(CALLBACKS, callback_hosts=("*",)) as client:
        answer = client.post("/orders", json={"item": "lamp", "quantity": 1, "callbackUrl": "file:///etc/passwd"})
        assert answer.status_code == 201
        listed = client.get("/__mockserver/deliveries").json()
        assert {d["outcome"] for d in listed} == {"refused"}
        assert "is not an http:// or https:// URL" in listed[0]["reason"]


def test_webhooks_fire_on_create_update_and_delete_with_the_item() -> None:
    with receiving() as receiver, served(WEBHOOKS) as client:
        for name in ("newPet", "petUpdated", "petRemoved"):
            registered = client.put(f"/__mockserver/webhooks/{name}", json={"url": f"{receiver.url}/{name}"})
            assert registered.status_code == 201, registered.text
        pet = client.post("/pets", json={"name": "Rex"}).json()
        created = receiver.next()
        assert (created.path, created.body) == ("/newPet", pet)
        assert pet["name"] == "Rex"  # the stored item, its id the mock's
        changed = client.patch(f"/pets/{pet['id']}", json={"tag": "dog"},
                               headers={"Content-Type": "application/merge-patch+json"}).json()
        updated = receiver.next()
        assert updated.path == "/petUpdated"
        assert updated.body["pet"] == changed == {**pet, "tag": "dog"}
        assert updated.body["event"] == "pet.updated"  # the rest of the payload from its schema
        assert client.delete(f"/pets/{pet['id']}").status_code == 204
        removed = receiver.next()
        assert (removed.path, removed.body) == ("/petRemoved", changed)
        listed = deliveries(client, lambda listed: len(listed) == 3 and settled(listed))
        assert [(d["name"], d["trigger"], d["outcome"]) for d in listed] == [
            ("newPet", "created in /pets", "delivered"), ("petUpdated", "updated in /pets", "delivered"),
            ("petRemoved", "deleted in /pets", "delivered")]


def test_a_webhook_url_given_at_start_is_used_and_one_removed_is_not() -> None:
    with receiving() as receiver:
        with served(WEBHOOKS, webhook_urls=(("newPet", receiver.url + "/new"),)) as client:
            assert client.get("/__mockserver/webhooks").json() == [
                {"name": "newPet", "url": receiver.url + "/new"}, {"name": "petRemoved", "url": None},
                {"name": "petUpdated", "url": None}]
            ada = client.post("/pets", json={"name": "Ada"}).json()
            assert receiver.next().body == ada
            assert client.delete("/__mockserver/webhooks/newPet").status_code == 204
            assert client.post("/pets", json={"name": "Bo"}).status_code == 201
            assert [d["body"] for d in client.get("/__mockserver/deliveries").json()] == [ada]
            assert client.put("/__mockserver/webhooks/nope", json={"url": receiver.url}).status_code == 404
            refused = client.put("/__mockserver/webhooks/newPet", json={"url": "http://10.1.2.3/"})
            assert refused.status_code == 400 and "is not one callbacks and webhooks may be sent to" in refused.text
        assert receiver.count() == 0


def test_deliveries_in_flight_are_bounded_and_one_past_the_bound_is_dropped() -> None:
    with receiving(gate=threading.Event()) as receiver, served(CALLBACKS, callback_max_in_flight=1) as client:
        order(receiver, client)
        listed = client.get("/__mockserver/deliveries").json()  # decided before the answer was sent
        assert [d["outcome"] for d in listed] == ["pending", "dropped"]
        assert listed[1]["reason"] == "1 already under way (--callback-max-in-flight)"
        receiver.next()
        assert receiver.gate is not None
        receiver.gate.set()
        assert [d["outcome"] for d in deliveries(client, settled)] == ["delivered", "dropped"]
        assert receiver.count() == 0


def test_a_receiver_that_does_not_answer_in_time_fails_the_delivery_without_hanging() -> None:
    with receiving(gate=threading.Event()) as receiver, served(
            CALLBACKS, callback_timeout=0.3, callback_retries=1) as client:
        order(receiver, client)
        listed = deliveries(client, settled)
        assert [(d["outcome"], d["reason"]) for d in listed] == [
            ("failed", "no answer in time after 2 attempts")] * 2
        assert all(attempt["seconds"] < 2 for d in listed for attempt in d["attempts"])


def test_a_real_documents_callbacks_and_webhook_fire_on_one_create() -> None:
    """Scalar Galaxy (real-world): createPlanet documents three callbacks, two at successCallbackUrl
    and one at failureCallbackUrl, and the 3.1 webhook newPlanet carries a Planet."""
    galaxy = Path(__file__).parent.parent / "data" / "specs" / "real-world" / "scalar-galaxy.yaml"
    with receiving() as receiver, served(galaxy, webhook_urls=(("newPlanet", "http://127.0.0.1:1/x"),)) as client:
        assert client.put("/__mockserver/webhooks/newPlanet", json={"url": receiver.url + "/new"}).status_code == 200
        answer = client.post("/planets", json={"name": "Mars", "successCallbackUrl": receiver.url + "/ok"})
        assert answer.status_code == 201, answer.text
        planet = answer.json()
        arrived = sorted((receiver.next(), receiver.next(), receiver.next()), key=lambda received: received.path)
        assert [(received.path, received.body) for received in arrived] == [
            ("/new", planet), ("/ok", planet), ("/ok", planet)]
        listed = {d["name"]: d for d in deliveries(client, lambda listed: len(listed) == 4 and settled(listed))}
        assert listed["planetCreationFailed"]["outcome"] == "refused"
        assert listed["planetCreationFailed"]["reason"] == (
            "the URL cannot be resolved: $request.body#/failureCallbackUrl: the body has nothing at /failureCallbackUrl")
        assert {listed[name]["outcome"] for name in ("planetCreated", "planetExploded", "newPlanet")} == {"delivered"}
        assert receiver.count() == 0
