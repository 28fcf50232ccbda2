"""The one check of a request's `location`, shared by resource groups and every tracked resource."""

from __future__ import annotations

from collections.abc import Callable

from vmss_emulator.domain.context import LOCATIONS, normalize_location
from vmss_emulator.domain.errors import ArmError, InvalidRequestContent, LocationRequired


def check_location(location: object, not_available: Callable[[str], ArmError]) -> str:
    """The short form of a requested location; `not_available(sent)` builds the refusal for an unknown region."""
    if not location:
        raise LocationRequired("The location property is required for this definition.")
    if not isinstance(location, str):
        raise InvalidRequestContent(
            "The request content was invalid and could not be deserialized: 'Error converting value to type "
            "'System.String'. Path 'location'.'."
        )
    normalized = normalize_location(location)
    if normalized not in LOCATIONS:
        raise not_available(location)
    return normalized
