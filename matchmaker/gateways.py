"""The interface an SMS or WeChat gateway adapter implements to drain the outbox.

No gateway is reachable from the platform's own machines, so none ships: a deployment names its
adapters in the GATEWAYS setting ({"sms": "package.module:ClassName"}), each constructed with the
app's config and called once per message with the message id as the idempotency key.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutgoingMessage:
    #: the outbox message id: a gateway that supports idempotency keys should use it
    key: str
    user_id: int
    title: str
    body: str | None
    link: str | None


class GatewayError(Exception):
    """The gateway refused or failed; the message is retried later."""


class Gateway(Protocol):
    channel: str

    def send(self, message: OutgoingMessage) -> str:
        """Deliver the message and return the gateway's id for it, or raise GatewayError."""


def load_gateways(config: dict) -> dict[str, Gateway]:
    """The configured adapters by channel, built from "module:Class" paths."""
    gateways = {}
    for channel, path in config["GATEWAYS"].items():
        module_name, _, class_name = path.partition(":")
        gateways[channel] = getattr(importlib.import_module(module_name), class_name)(config)
    return gateways
