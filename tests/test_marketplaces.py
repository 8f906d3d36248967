"""The marketplace registry as the one list of a marketplace family's domains."""

from __future__ import annotations

import re

import pytest

from sellercomms import get_channel
from sellercomms.marketplaces import MARKETPLACES, domains, host_pattern


def test_domains_follow_the_registry() -> None:
    amazon = domains("amazon")
    assert [f"amazon.{domain}" for domain in amazon] == [
        key for key, market in MARKETPLACES.items() if market.family == "amazon"
    ]
    assert {"com", "co.uk", "de", "co.jp", "com.au"} <= set(amazon)
    # Keys without a domain (walmart) stay out; a family with none has none.
    assert domains("walmart") == ("ca",)
    assert domains("own") == ()


@pytest.mark.parametrize("domain", domains("amazon"))
def test_host_pattern_takes_each_domain_and_its_subdomains(domain: str) -> None:
    pattern = re.compile(host_pattern("amazon"))
    for host in (f"amazon.{domain}", f"www.amazon.{domain}", f"smile.amazon.{domain}"):
        assert pattern.search(host), host
    for host in (f"amazon.{domain}.example", f"evil-amazon.{domain}", f"amazonx{domain}"):
        assert not pattern.search(host), host


def test_host_pattern_is_literal() -> None:
    # The dots in co.uk are dots, not any character.
    assert not re.search(host_pattern("amazon"), "amazon.coxuk")


def test_the_amazon_channel_links_its_pages_on_every_registered_domain() -> None:
    channel = get_channel("amazon")
    assert channel.platform_hosts is not None
    for domain in domains("amazon"):
        assert re.search(channel.platform_hosts, f"www.amazon.{domain}"), domain
