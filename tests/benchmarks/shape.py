"""The synthetic site the benchmarks build on (product.md's benchmark shape)."""

from __future__ import annotations

from typing import Any


def bench_site(slug: str) -> Any:
    """A site with a synthetic address; the caller adds hours, podiatrists and appointments."""
    from booking.models import Site

    return Site.objects.create(
        slug=slug,
        name="Bench",
        address="1 Bench Rd",
        city="Howell",
        postcode="48843",
        phone="(517) 555-0100",
        front_desk_email=f"{slug}@clinic.example",
    )
