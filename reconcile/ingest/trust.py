"""How far inputs may reach beyond what the user named. A manifest (`case.yaml`) can come from
anyone, so by default its paths stay inside its own folder and its URLs are not fetched; and no
URL is fetched from a private, loopback or link-local address, which would let a manifest or a
redirect read services that only this machine can reach."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass


@dataclass(frozen=True)
class Trust:
    """What the user allowed (the CLI's --allow-outside, --allow-fetch and --allow-private)."""

    outside: bool = False  # a manifest's paths may lead outside the manifest's folder
    fetch: bool = False  # a manifest's URLs are fetched
    private: bool = False  # URLs may be fetched from private, loopback and link-local addresses


def is_private_address(ip: str) -> bool:
    """Whether an address is one that only this machine or its network can reach."""
    address = ipaddress.ip_address(ip.split("%", 1)[0])  # an IPv6 zone (fe80::1%eth0) is no part of it
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified
            or address.is_multicast or address.is_reserved or address in _SHARED)


_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: neither private nor global
