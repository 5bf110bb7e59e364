"""Config: defaults in one dataclass, environment overrides, flags over the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockserver import cli
from mockserver.config import Config
from mockserver.errors import ConfigError


def test_defaults() -> None:
    config = Config()
    assert (config.host, config.port, config.security_key, config.log_level) == (
        "127.0.0.1", 7777, None, "info")
    assert config.specs[0].name == "agentos-sessions.yaml" and all(path.exists() for path in config.specs)
    assert config.fixtures is None and config.fixtures_dir is not None and config.fixtures_dir.is_dir()
    assert config.require_db_id is False
    assert Config(specs=(Path("petstore.yaml"),)).fixtures_dir is None  # the bundled ones fit only their API


def test_environment_overrides_defaults() -> None:
    config = Config.from_env({
        "MOCKSERVER_HOST": "0.0.0.0", "MOCKSERVER_PORT": "8080", "MOCKSERVER_SECURITY_KEY": "k",
        "MOCKSERVER_LOG_LEVEL": "DEBUG", "MOCKSERVER_REQUIRE_DB_ID": "yes", "MOCKSERVER_SPEC": "s.yaml, t.yaml",
    })
    assert (config.host, config.port, config.security_key, config.log_level) == ("0.0.0.0", 8080, "k", "debug")
    assert config.require_db_id is True and config.specs == (Path("s.yaml"), Path("t.yaml"))


@pytest.mark.parametrize(("environ", "message"), [
    ({"MOCKSERVER_PORT": "abc"}, "MOCKSERVER_PORT: expected a whole number, got 'abc'"),
    ({"MOCKSERVER_PORT": "70000"}, "port must be between 0 and 65535"),
    ({"MOCKSERVER_REQUIRE_DB_ID": "maybe"}, "MOCKSERVER_REQUIRE_DB_ID: expected true or false"),
    ({"MOCKSERVER_LOG_LEVEL": "loud"}, "log level must be one of"),
    ({"MOCKSERVER_SECURITY_KEY": ""}, "the security key must not be empty"),
])
def test_bad_settings_are_config_errors(environ: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Config.from_env(environ)


def cli_config(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> Config:
    """The Config the CLI would run with, without starting a server."""
    seen: list[Config] = []
    monkeypatch.setitem(cli.COMMANDS, "run", lambda config, options: seen.append(config) or 0)
    assert cli.main(argv) == 0
    return seen[0]


def test_flags_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCKSERVER_PORT", "9000")
    monkeypatch.setenv("MOCKSERVER_HOST", "0.0.0.0")
    config = cli_config(monkeypatch, ["run", "--port", "7777", "--security-key", "s3cret", "--require-db-id"])
    assert (config.port, config.host, config.security_key, config.require_db_id) == (
        7777, "0.0.0.0", "s3cret", True)


def test_a_security_key_that_starts_with_a_dash_is_taken_in_the_equals_form(monkeypatch: pytest.MonkeyPatch) -> None:
    # secrets.token_urlsafe gives such keys one time in 64; the fuzz tests pass keys this way
    config = cli_config(monkeypatch, ["run", "--security-key=-Wx9_k"])
    assert config.security_key == "-Wx9_k"


def test_without_flags_the_environment_and_defaults_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCKSERVER_PORT", "9000")
    monkeypatch.delenv("MOCKSERVER_HOST", raising=False)
    config = cli_config(monkeypatch, ["run"])
    assert (config.port, config.host) == (9000, "127.0.0.1")


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture) -> None:
    assert cli.main([]) == 2
    assert "mockserver run" in capsys.readouterr().err


def test_run_help_explains_every_flag(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["run", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for flag, variable in [("--host", "MOCKSERVER_HOST"), ("--port", "MOCKSERVER_PORT"),
                           ("--spec", "MOCKSERVER_SPEC"), ("--fixtures", "MOCKSERVER_FIXTURES"),
                           ("--security-key", "MOCKSERVER_SECURITY_KEY"), ("--log-level", "MOCKSERVER_LOG_LEVEL"),
                           ("--require-db-id", "MOCKSERVER_REQUIRE_DB_ID")]:
        assert flag in text and variable in text
    assert "default: 7777" in text and "default: 127.0.0.1" in text


@pytest.mark.slow
def test_a_startup_error_is_one_line_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["run", "--port", "0", "--fixtures", str(tmp_path / "nope")]) == 1
    err = capsys.readouterr().err
    assert err == f"mockserver: error: {tmp_path / 'nope'}: fixtures directory not found\n"


def test_admin_origins_from_flag_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Config().admin_origins == ()
    monkeypatch.setenv("MOCKSERVER_ADMIN_ORIGINS", "http://a.test, https://b.test:8443")
    assert cli_config(monkeypatch, ["run"]).admin_origins == ("http://a.test", "https://b.test:8443")
    assert cli_config(monkeypatch, ["run", "--admin-origins", "http://c.test"]).admin_origins == ("http://c.test",)
    with pytest.raises(ConfigError, match="an admin origin is a scheme, host and optional port"):
        Config(admin_origins=("http://a.test/path",))


@pytest.mark.parametrize(("host", "key", "warned"), [
    ("0.0.0.0", None, True), ("192.0.2.7", None, True), ("::", None, True),
    ("0.0.0.0", "k", False), ("127.0.0.1", None, False), ("localhost", None, False), ("::1", None, False),
])
def test_the_banner_warns_when_the_admin_api_is_open_to_the_network(host: str, key: str | None,
                                                                     warned: bool) -> None:
    from mockserver.server.banner import exposure_warning

    lines = exposure_warning(Config(host=host, security_key=key))
    assert bool(lines) is warned
    assert all("open to anyone who can reach" in line and "--security-key" in line for line in lines)


def test_the_memory_store_bounds_default_and_come_from_the_environment_and_flags(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert (Config().max_items, Config().max_store_bytes) == (10_000, 256 * 1024 * 1024)
    config = Config.from_env({"MOCKSERVER_MAX_ITEMS": "50", "MOCKSERVER_MAX_STORE_BYTES": "1048576"})
    assert (config.max_items, config.max_store_bytes) == (50, 1_048_576)
    monkeypatch.setenv("MOCKSERVER_MAX_ITEMS", "50")
    flagged = cli_config(monkeypatch, ["run", "--max-items", "7", "--max-store-bytes", "4096"])
    assert (flagged.max_items, flagged.max_store_bytes) == (7, 4096)
    for variable, value in [("MOCKSERVER_MAX_ITEMS", "0"), ("MOCKSERVER_MAX_STORE_BYTES", "-1")]:
        with pytest.raises(ConfigError, match="--max-items, --max-store-bytes"):
            Config.from_env({variable: value})
    with pytest.raises(ConfigError, match="MOCKSERVER_MAX_ITEMS: expected a whole number"):
        Config.from_env({"MOCKSERVER_MAX_ITEMS": "many"})


def test_the_dynamic_timeout_is_a_setting_with_a_flag_and_an_environment_variable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert Config().dynamic_timeout == 2.0
    assert Config.from_env({"MOCKSERVER_DYNAMIC_TIMEOUT": "0.5"}).dynamic_timeout == 0.5
    monkeypatch.setenv("MOCKSERVER_DYNAMIC_TIMEOUT", "0.5")
    assert cli_config(monkeypatch, ["run", "--dynamic-timeout", "3"]).dynamic_timeout == 3.0
    with pytest.raises(ConfigError, match="MOCKSERVER_DYNAMIC_TIMEOUT: expected more than 0"):
        Config.from_env({"MOCKSERVER_DYNAMIC_TIMEOUT": "0"})
    with pytest.raises(ConfigError, match="the dynamic timeout must be more than 0"):
        Config(dynamic_timeout=-1)
