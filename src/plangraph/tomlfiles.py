"""The project's TOML files read into typed dataclasses: a document's .meta.toml and
.errata.toml (documents/source.py), the registry (model/registry.py).

A dataclass is the whole description of a table: each field is a key, its annotation the type
the value must have, a field without a default a key that must be there. A key that no field
names is refused (a typo is never silently ignored), and so is a value of the wrong type. Each
error names the file, the key (with its place: `correction[1].line`) and the type expected:

    plan.errata.toml: correction[1].line: expected an integer, found a string ("152")

Adding a key to a file is adding one field to its dataclass. Types understood: str, int, float,
bool, datetime.date (a TOML date or a "YYYY-MM-DD" string), list[X], X | None (the key may be
left out) and a nested dataclass (a table, or an array of tables as list[Table]).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import tomllib
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from .errors import PlangraphError

T = TypeVar("T")


class TomlShapeError(PlangraphError):
    """A TOML file that is not valid TOML, or not of the shape its dataclass describes."""

    def __init__(self, path: Path, where: str, message: str):
        self.path = path
        self.where = where
        self.message = message
        super().__init__(f"{path}: {where + ': ' if where else ''}{message}")


def read_toml(path: Path, schema: type[T]) -> T:
    """The file at `path` as an instance of the dataclass `schema`."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise TomlShapeError(path, "", f"not valid TOML: {e}") from None
    except OSError as e:
        raise TomlShapeError(path, "", f"cannot be read: {e.strerror or e}") from None
    return from_table(data, schema, path)


def from_table(data: dict[str, Any], schema: type[T], path: Path, where: str = "") -> T:
    """A TOML table (a dict from tomllib) as an instance of the dataclass `schema`."""
    hints = typing.get_type_hints(schema)
    fields = {f.name: f for f in dataclasses.fields(schema)}  # type: ignore[arg-type]
    unknown = [k for k in data if k not in fields]
    if unknown:
        key = unknown[0]
        close = difflib.get_close_matches(key, list(fields), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise TomlShapeError(path, _join(where, key),
                             f"unknown key (known: {', '.join(fields)}){hint}")
    values = {}
    for name, f in fields.items():
        if name in data:
            values[name] = _convert(data[name], hints[name], path, _join(where, name))
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise TomlShapeError(path, _join(where, name),
                                 f"missing: expected {_describe(hints[name])}")
    return schema(**values)


def _convert(value: Any, hint: Any, path: Path, where: str) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):       # X | None: absent or None is allowed
        inner = [a for a in args if a is not type(None)]
        return _convert(value, inner[0], path, where)
    if origin is list:
        if not isinstance(value, list):
            raise _wrong(value, hint, path, where)
        return [_convert(v, args[0], path, f"{where}[{i}]") for i, v in enumerate(value, 1)]
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise _wrong(value, hint, path, where)
        return from_table(value, hint, path, where)  # type: ignore[arg-type]
    if hint is dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise _wrong(value, hint, path, where)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    # bool is an int in Python, not in TOML
    if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
        raise _wrong(value, hint, path, where)
    return value


_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "a boolean (true or false)",
          dt.date: "a date (YYYY-MM-DD)", dict: "a table", list: "an array"}


def _describe(hint: Any) -> str:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _describe(next(a for a in args if a is not type(None)))
    if origin is list:
        item = args[0]
        if dataclasses.is_dataclass(item):
            return f"an array of tables ([[…]], keys: {', '.join(_keys(item))})"
        return f"an array of {_describe(item).removeprefix('a ').removeprefix('an ')}s"
    if dataclasses.is_dataclass(hint):
        return f"a table (keys: {', '.join(_keys(hint))})"
    return _NAMES.get(hint, getattr(hint, "__name__", str(hint)))


def _keys(schema: Any) -> list[str]:
    return [f.name for f in dataclasses.fields(schema)]


def _found(value: Any) -> str:
    for kind, name in ((bool, "a boolean"), (dict, "a table"), (list, "an array"),
                       (str, "a string"), (int, "an integer"), (float, "a number"),
                       (dt.datetime, "a date-time"), (dt.date, "a date"), (dt.time, "a time")):
        if isinstance(value, kind):
            if kind in (dict, list):
                return name
            shown = repr(value) if kind is not str else f'"{value}"'
            return f"{name} ({shown[:60]})"
    return type(value).__name__


def _wrong(value: Any, hint: Any, path: Path, where: str) -> TomlShapeError:
    return TomlShapeError(path, where, f"expected {_describe(hint)}, found {_found(value)}")


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
