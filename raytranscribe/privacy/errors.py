"""Exception messages without PHI: what may be shown of an error, and a wrapper for Ray actor methods.

An exception message is data (``KeyError('<a patient name>')``), a traceback's frames are code. So errors
are described by type and code location; only types whose message is PHI-free by contract keep it.
"""

from __future__ import annotations

import functools
import inspect
import traceback
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

from raytranscribe.errors import UserError
from raytranscribe.privacy.egress import EgressRefused

WITHHELD = "<withheld>"
P = ParamSpec("P")
R = TypeVar("R")


class PhiFreeError(RuntimeError):
    """Stands in for an exception whose message may hold PHI: its type and where it was raised, no message."""


# Exceptions whose message is PHI-free by contract (see raytranscribe.errors).
SAFE_MESSAGE_TYPES: tuple[type[BaseException], ...] = (UserError, EgressRefused, PhiFreeError)


def describe_exception(exc: BaseException) -> str:
    """``module.Type: message`` for PHI-free types, ``module.Type: <withheld>`` for everything else."""
    kind = type(exc)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    return f"{name}: {exc}" if isinstance(exc, SAFE_MESSAGE_TYPES) else f"{name}: {WITHHELD}"


def _chain(exc: BaseException) -> Iterator[tuple[BaseException, str | None]]:
    seen: set[int] = set()
    link: str | None = None
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc, link
        if exc.__cause__ is not None:
            exc, link = exc.__cause__, "The above exception was the direct cause of:"
        elif exc.__context__ is not None and not exc.__suppress_context__:
            exc, link = exc.__context__, "During handling of the above exception, another occurred:"
        else:
            break


def format_exception_safely(exc: BaseException) -> str:
    """A traceback with code locations and exception types only, chained causes first (as Python prints)."""
    blocks = []
    for link_exc, link in _chain(exc):
        frames = traceback.format_list(traceback.extract_tb(link_exc.__traceback__))
        block = "Traceback (most recent call last):\n" + "".join(frames) + describe_exception(link_exc) + "\n"
        blocks.append(block if link is None else f"{block}\n{link}\n")
    return "\n".join(reversed(blocks))


def _phi_free(exc: Exception) -> PhiFreeError:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    return PhiFreeError(describe_exception(exc) + where)


def phi_free_errors(method: Callable[P, R]) -> Callable[P, R]:
    """Wrap a Ray actor/task method (sync or async) so an exception crossing Ray, whose ``RayTaskError``
    carries message and traceback text to the caller and into logs, becomes a :class:`PhiFreeError`."""
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def async_wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return await method(*args, **kwargs)
            except SAFE_MESSAGE_TYPES:
                raise
            except Exception as exc:
                raise _phi_free(exc) from None

        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except SAFE_MESSAGE_TYPES:
            raise
        except Exception as exc:
            raise _phi_free(exc) from None

    return wrapper
