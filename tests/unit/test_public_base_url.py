"""Whether links built on PUBLIC_BASE_URL reach the development server (app.urls, pure)."""

import pytest

from app.urls import unreachable_links


@pytest.mark.parametrize(
    ("public", "host", "port"),
    [
        ("http://127.0.0.1:5093", "127.0.0.1", 5093),
        ("http://localhost:5093", "127.0.0.1", 5093),  # loopback names are one host
        ("http://127.0.0.1:5093/", "localhost", 5093),
        ("http://training.example.police.uk:8080", "0.0.0.0", 8080),  # every address
        ("https://training.example.police.uk", "0.0.0.0", 443),
        ("http://[::1]:5000", "::1", 5000),
    ],
)
def test_links_that_reach_the_server_give_no_warning(public, host, port):
    assert unreachable_links(public, host, port) is None


def test_another_port_is_named_with_the_fix():
    problem = unreachable_links("http://127.0.0.1:5000", "127.0.0.1", 5093)
    assert "port 5093" in problem
    assert "http://127.0.0.1:5093" in problem


def test_another_host_is_named():
    problem = unreachable_links("http://training.example.police.uk:5000", "127.0.0.1", 5000)
    assert "listens on 127.0.0.1" in problem


def test_the_default_port_of_the_scheme_counts():
    assert "port 5000" in unreachable_links("http://127.0.0.1", "127.0.0.1", 5000)


def test_a_malformed_port_is_reported_not_raised():
    assert "no valid port" in unreachable_links("http://127.0.0.1:port", "127.0.0.1", 5000)
