"""The parts of callbacks and webhooks that need no server: runtime expressions, which hosts may be
contacted, which change fires which webhook, and the bodies sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockserver.config import Config
from mockserver.core.deliveries import refusal
from mockserver.core.runtime_expressions import Exchange, Unresolved, resolve
from mockserver.core.spec_loading import load_spec
from mockserver.engine import Engine
from mockserver.engine.outgoing import callbacks, documented_answer, webhooks
from mockserver.engine.outgoing_bodies import callback_body, webhook_body
from mockserver.engine.webhook_routes import events_named, infer, read_mapping
from mockserver.errors import ConfigError, FixtureError
from tests.inline_client import InlineClient

SPECS = Path(__file__).parent.parent / "data" / "specs" / "outgoing"

EXCHANGE = Exchange(url="http://127.0.0.1:7777/orders?x=1", method="post", status=201,
                    path_params={"orderId": "7"}, query={"x": "1"}, headers={"x-hook": "http://h/"},
                    body={"callbackUrl": "http://127.0.0.1:9/cb", "tags": ["a", "b"], "a/b": {"~c": 3}},
                    response_headers={"location": "/orders/7"}, response_body={"id": 7})


@pytest.mark.parametrize(("template", "url"), [
    ("{$request.body#/callbackUrl}", "http://127.0.0.1:9/cb"),
    ("{$request.body#/callbackUrl}/x?id={$response.body#/id}&m={$method}", "http://127.0.0.1:9/cb/x?id=7&m=POST"),
    ("{$request.header.X-Hook}{$request.path.orderId}", "http://h/7"),
    ("http://h/{$request.query.x}/{$statusCode}/{$request.body#/tags/1}", "http://h/1/201/b"),
    ("http://h/{$request.body#/a~1b/~0c}", "http://h/3"),
    ("$request.body#/callbackUrl", "http://127.0.0.1:9/cb"),
    ("{$url}", "http://127.0.0.1:7777/orders?x=1"),
    ("{$response.header.Location}", "/orders/7"),
    ("http://literal/only", "http://literal/only"),
])
def test_a_runtime_expression_resolves_to_what_it_names_in_the_exchange(template: str, url: str) -> None:
    assert resolve(template, EXCHANGE) == url


@pytest.mark.parametrize("template", ["{$request.body#/missing}", "{$request.query.y}", "{$request.header.none}",
                                      "{$request.body#/tags/9}", "{$nothing}", "{$response.query.x}",
                                      "{$request.body#nopointer}"])
def test_an_expression_that_names_nothing_is_unresolved_not_guessed(template: str) -> None:
    with pytest.raises(Unresolved):
        resolve(template, EXCHANGE)


@pytest.mark.parametrize(("url", "hosts", "allowed"), [
    ("http://127.0.0.1:9/x", ("loopback",), True), ("https://localhost/x", ("loopback",), True),
    ("http://[::1]:9/x", ("loopback",), True), ("http://10.0.0.1/x", ("loopback",), False),
    ("http://localtest.me/x", ("loopback",), False),  # a name is never resolved to allow it
    ("http://hooks.test/x", ("hooks.test",), True), ("http://HOOKS.test/x", ("hooks.test",), True),
    ("http://other.test/x", ("hooks.test",), False), ("http://anything.test/x", ("*",), True),
    ("file:///etc/passwd", ("*",), False), ("gopher://127.0.0.1/x", ("*",), False),
    ("http:///x", ("*",), False), ("http://127.0.0.1:notaport/x", ("*",), False),
])
def test_only_http_urls_to_allowed_hosts_may_be_contacted(url: str, hosts: tuple[str, ...], allowed: bool) -> None:
    assert (refusal(url, hosts) is None) is allowed


def test_webhook_events_are_read_from_their_names() -> None:
    assert events_named("newPet") == ("created",)
    assert events_named("pet.updated") == ("updated",)
    assert events_named("petRemoved") == ("deleted",)
    assert events_named("petNews") == ("created",)
    assert events_named("inventory") == ("created", "updated", "deleted")  # names none: every change


def test_webhooks_are_routed_to_the_collection_whose_item_their_payload_is_or_holds() -> None:
    spec = load_spec(SPECS / "webhooks.yaml")
    engine = Engine(spec, (), None)
    routes = {route.outgoing.name: route for route in infer(spec, webhooks(spec), engine.collections)}
    assert {name: (route.collection, route.events, route.wrapped_in) for name, route in routes.items()} == {
        "newPet": ("/pets", ("created",), None), "petUpdated": ("/pets", ("updated",), "pet"),
        "petRemoved": ("/pets", ("deleted",), None)}
    built = webhook_body(engine.fitter, routes["petUpdated"], {"id": "1", "name": "Rex"})
    assert (built.body, built.problem) == ({"event": "pet.updated", "pet": {"id": "1", "name": "Rex"}}, None)
    broken = webhook_body(engine.fitter, routes["newPet"], {"id": 1})
    assert broken.problem == "the webhook's body (the item): missing required property 'name'"


def test_a_mapping_file_gives_the_route_and_a_wrong_one_is_refused_naming_the_field(tmp_path: Path) -> None:
    spec = load_spec(SPECS / "webhooks.yaml")
    engine = Engine(spec, (), None)
    mapping = tmp_path / "webhooks.yaml"
    mapping.write_text("webhooks:\n  newPet: {collection: /pets, events: [created, deleted]}\n")
    given = read_mapping(mapping, webhooks(spec), engine.collections)
    route = next(r for r in infer(spec, webhooks(spec), engine.collections, given) if r.outgoing.name == "newPet")
    assert (route.events, route.reason) == (("created", "deleted"), "given in the mapping file")
    for text, field in [("webhooks:\n  oldPet: {collection: /pets}\n", "webhooks.oldPet: the documents have no webhook"),
                        ("webhooks:\n  newPet: {collection: /cats}\n", "webhooks.newPet.collection"),
                        ("webhooks:\n  newPet: {collection: /pets, events: [born]}\n", "webhooks.newPet.events"),
                        ("hooks: {}\n", "expected a top-level 'webhooks' mapping")]:
        mapping.write_text(text)
        with pytest.raises(FixtureError, match=field):
            read_mapping(mapping, webhooks(spec), engine.collections)


def test_a_callback_sends_the_stored_item_where_it_fits_else_an_example() -> None:
    spec = load_spec(SPECS / "callbacks.yaml")
    engine = Engine(spec, (), None)
    shipped, audited = callbacks(spec)["createOrder"]
    item = {"id": 1, "item": "lamp", "quantity": 2}
    assert callback_body(engine.fitter, shipped, item, None).source == "the stored item"
    assert callback_body(engine.fitter, audited, item, None).body == {"auditor": "example-auditor", "passed": True}
    assert callback_body(engine.fitter, shipped, None, None).source == "built from the schema"
    assert documented_answer(spec, shipped, 204) == (True, None)
    assert documented_answer(spec, shipped, 200) == (False, None)
    assert documented_answer(spec, audited, 200)[1] is not None


def test_webhook_urls_and_callback_hosts_are_read_from_the_environment() -> None:
    config = Config.from_env({"MOCKSERVER_WEBHOOK_URLS": "newPet=http://127.0.0.1:9/a, petRemoved=https://h.test/b",
                              "MOCKSERVER_CALLBACK_HOSTS": "loopback,H.test"})
    assert config.webhook_urls == (("newPet", "http://127.0.0.1:9/a"), ("petRemoved", "https://h.test/b"))
    assert config.callback_hosts == ("loopback", "h.test")
    with pytest.raises(ConfigError, match="MOCKSERVER_WEBHOOK_URLS: expected NAME=URL"):
        Config.from_env({"MOCKSERVER_WEBHOOK_URLS": "newPet=ftp://h/"})


def test_a_webhook_url_for_no_webhook_or_a_host_not_allowed_stops_the_start() -> None:
    from mockserver.server import build_mock

    spec = (SPECS / "webhooks.yaml",)
    with pytest.raises(ConfigError, match="the documents have no webhook 'oldPet' \\(they have: newPet, petRemoved"):
        build_mock(Config(specs=spec, webhook_urls=(("oldPet", "http://127.0.0.1:9/"),)))
    with pytest.raises(ConfigError, match=r"host '10\.0\.0\.1' is not one callbacks and webhooks may be sent to"):
        build_mock(Config(specs=spec, webhook_urls=(("newPet", "http://10.0.0.1/"),)))


@pytest.mark.slow
def test_validate_shows_each_callback_and_the_inferred_webhook_mapping() -> None:
    from mockserver.validate.checks import check_documents

    lines = [f.message for spec in ("callbacks.yaml", "webhooks.yaml")
             for f in check_documents((SPECS / spec,), None).served if f.message.startswith(("callback", "webhook"))]
    assert lines == [
        "callback orderShipped of createOrder: POST {$request.body#/callbackUrl}, after a 2xx answer",
        "callback orderAudited of createOrder: PUT {$request.body#/callbackUrl}/audit?order={$response.body#/id}, "
        "after a 2xx answer",
        "webhook newPet: POST of the item when an item of /pets is created (its payload's schema is the item's; "
        "events read from its name)",
        "webhook petUpdated: POST of the item in its property 'pet' when an item of /pets is updated (its payload "
        "holds the item; events read from its name)",
        "webhook petRemoved: POST of the item when an item of /pets is deleted (its payload's schema is the item's; "
        "events read from its name)"]


def test_the_webhook_admin_endpoints_refuse_a_cross_site_page_and_need_the_key() -> None:
    from mockserver.server import build_mock

    mock = build_mock(Config(specs=(SPECS / "webhooks.yaml",), security_key="k"))
    with InlineClient(mock.app) as client:
        key = {"Authorization": "Bearer k"}
        for origin in ("http://evil.test", "null"):
            put = client.put("/__mockserver/webhooks/newPet", json={"url": "http://127.0.0.1:9/x"},
                             headers={**key, "Origin": origin})
            assert put.status_code == 403, put.text
            assert client.get("/__mockserver/deliveries", headers={**key, "Origin": origin}).status_code == 403
        assert client.put("/__mockserver/webhooks/newPet", json={"url": "http://127.0.0.1:9/x"}).status_code == 401
        assert mock.outgoing.receivers.get("newPet") is None  # nothing refused changed the receivers
        assert client.put("/__mockserver/webhooks/newPet", json={"url": "http://127.0.0.1:9/x"},
                          headers=key).status_code == 201
        assert client.delete("/__mockserver/webhooks/newPet", headers=key).status_code == 204
        assert client.delete("/__mockserver/webhooks/newPet", headers=key).status_code == 404


def test_the_run_flags_give_webhook_urls_the_mapping_file_and_the_delivery_bounds(tmp_path: Path) -> None:
    from mockserver.cli import CONFIG_FIELDS, build_parser
    from mockserver.server import build_mock

    mapping = tmp_path / "webhooks.yaml"
    mapping.write_text("webhooks:\n  newPet: {collection: /pets, events: [created, updated]}\n")
    args = vars(build_parser().parse_args([
        "run", "--spec", str(SPECS / "webhooks.yaml"), "--webhook-url", "newPet=http://127.0.0.1:9/a",
        "--webhook-url", "petRemoved=http://localhost:9/b", "--webhooks", str(mapping),
        "--callback-hosts", "loopback,hooks.test", "--callback-timeout", "1.5", "--callback-retries", "0",
        "--callback-max-in-flight", "4"]))
    config = Config().replace(**{name: value for name, value in args.items() if name in CONFIG_FIELDS})
    assert config.webhook_urls == (("newPet", "http://127.0.0.1:9/a"), ("petRemoved", "http://localhost:9/b"))
    assert (config.webhooks_file, config.callback_hosts) == (mapping, ("loopback", "hooks.test"))
    assert (config.callback_timeout, config.callback_retries, config.callback_max_in_flight) == (1.5, 0, 4)
    routes = {route.outgoing.name: route.events for route in build_mock(config).outgoing.routes}
    assert routes["newPet"] == ("created", "updated")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--webhook-url", "newPet"])


def test_the_banner_says_what_is_sent_and_where_only_when_something_is() -> None:
    from mockserver.server import build_mock
    from mockserver.server.banner import banner

    config = Config(specs=(SPECS / "webhooks.yaml",), webhook_urls=(("newPet", "http://127.0.0.1:9/"),))
    assert ("  outgoing  0 callbacks, 3 webhooks fired by state (1 with a receiver); hosts: loopback; "
            "http://h/__mockserver/deliveries") in banner(build_mock(config), config, "http://h").splitlines()
    plain = Config(specs=(Path(__file__).parent.parent / "data" / "specs" / "petstore.yaml",))
    assert "outgoing" not in banner(build_mock(plain), plain, "http://h")


def test_documents_served_together_keep_each_ones_callbacks_and_webhooks() -> None:
    from mockserver.core.combined import load_specs

    spec = load_specs((SPECS / "callbacks.yaml", SPECS / "webhooks.yaml")).combined
    assert [outgoing.name for outgoing in callbacks(spec)["createOrder"]] == ["orderShipped", "orderAudited"]
    assert sorted(webhooks(spec)) == ["newPet", "petRemoved", "petUpdated"]


@pytest.mark.slow
def test_validate_checks_and_shows_a_webhook_mapping_file(tmp_path: Path) -> None:
    from mockserver.validate.checks import check_documents

    mapping = tmp_path / "webhooks.yaml"
    mapping.write_text("webhooks:\n  newPet: {collection: /pets, events: [created, updated]}\n")
    report = check_documents((SPECS / "webhooks.yaml",), None, webhooks=mapping)
    assert ("webhook newPet: POST of the item when an item of /pets is created or updated (given in the mapping "
            "file)") in [f.message for f in report.served]
    mapping.write_text("webhooks:\n  newPet: {collection: /cats}\n")
    report = check_documents((SPECS / "webhooks.yaml",), None, webhooks=mapping)
    assert [(f.where, f.message) for f in report.findings] == [
        (str(mapping), "webhooks.newPet.collection: expected one of the engine's collections: /pets")]
