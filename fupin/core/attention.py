"""What needs a user's attention on their home page; each app adds its own providers.

A provider is `f(user) -> list[AttentionItem]`, registered with `@attention_provider` in a
module the app imports from its AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass

_providers: list[Callable] = []


@dataclass(frozen=True)
class AttentionItem:
    title: str
    count: int
    url: str
    tone: str = "info"  # info | warning | danger


def attention_provider(func: Callable) -> Callable:
    _providers.append(func)
    return func


def attention_for(user) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    for provider in _providers:
        items.extend(item for item in provider(user) if item.count)
    return items
