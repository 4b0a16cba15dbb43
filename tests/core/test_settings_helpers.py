import pytest
from django.core.exceptions import ImproperlyConfigured

from project.env import envbool, envchoice, envfloat, envint, envlist, envstr, envurl


def test_it_reads_booleans_in_common_spellings(monkeypatch):
    for raw, expected in [("1", True), ("TRUE", True), ("yes", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("FLAG", raw)
        assert envbool("FLAG", not expected) is expected


def test_it_rejects_a_boolean_it_cannot_parse(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG='maybe' is not a boolean"):
        envbool("FLAG", False)


def test_it_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("NUMBER", raising=False)
    assert envint("NUMBER", 7) == 7
    assert envbool("NUMBER", True) is True


def test_it_rejects_a_non_integer(monkeypatch):
    monkeypatch.setenv("NUMBER", "12abc")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        envint("NUMBER", 1)


def test_it_rejects_integers_out_of_range(monkeypatch):
    monkeypatch.setenv("NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        envint("NUMBER", 1, min_value=1)
    monkeypatch.setenv("NUMBER", "500")
    with pytest.raises(ImproperlyConfigured, match="above the maximum"):
        envint("NUMBER", 1, max_value=100)


def test_it_rejects_a_non_number_float(monkeypatch):
    monkeypatch.setenv("RATIO", "fast")
    with pytest.raises(ImproperlyConfigured, match="not a number"):
        envfloat("RATIO", 1.0)


def test_it_splits_lists_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , ,b.example,")
    assert envlist("HOSTS", []) == ["a.example", "b.example"]


def test_it_rejects_a_choice_outside_the_set(monkeypatch):
    monkeypatch.setenv("LAYER", "rabbit")
    with pytest.raises(ImproperlyConfigured, match="not one of"):
        envchoice("LAYER", "pubsub", {"pubsub", "core"})


def test_it_rejects_a_url_with_the_wrong_scheme(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://db/x")
    with pytest.raises(ImproperlyConfigured, match="must start with"):
        envurl("DATABASE_URL", {"mysql", "sqlite"})


def test_it_reads_secrets_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("API_KEY_FILE", str(secret))
    monkeypatch.setenv("API_KEY", "from-the-environment")
    assert envstr("API_KEY") == "from-a-file"


def test_it_fails_loudly_when_the_secret_file_is_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("API_KEY_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        envstr("API_KEY")


def test_it_parses_worker_pools(monkeypatch):
    from project.env import envpools

    monkeypatch.setenv("POOLS", "cefr:1:16:5, interactive+documents:2:1:10:1")
    assert envpools("POOLS", "") == [
        {"queues": ["cefr"], "processes": 1, "threads": 16, "nice": 5, "prefetch": 32},
        {"queues": ["interactive", "documents"], "processes": 2, "threads": 1, "nice": 10, "prefetch": 1},
    ]


@pytest.mark.parametrize(
    "raw", ["cefr:1:16", "cefr:x:1:5", "cefr:0:1:5", "cefr:1:1:25", ":1:1:5", "cefr:1:1:5:0", "cefr:1:1:5:1:9"]
)
def test_it_rejects_malformed_worker_pools(monkeypatch, raw):
    from project.env import envpools

    monkeypatch.setenv("POOLS", raw)
    with pytest.raises(ImproperlyConfigured, match="POOLS"):
        envpools("POOLS", "")


def test_it_parses_integer_maps(monkeypatch):
    from project.env import envintmap

    monkeypatch.setenv("LIMITS", "cefr:5000, interactive:200")
    assert envintmap("LIMITS", "") == {"cefr": 5000, "interactive": 200}
    for bad in ["cefr", "cefr:x", "cefr:0", ":5"]:
        monkeypatch.setenv("LIMITS", bad)
        with pytest.raises(ImproperlyConfigured, match="LIMITS"):
            envintmap("LIMITS", "")
