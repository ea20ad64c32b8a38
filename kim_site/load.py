"""Read YAML data into models; report every problem with file, line and column.

The YAML loader keeps every scalar as text (no 01067 -> 567, no 8:30 -> 510, no `no` ->
False); pydantic then converts and validates. All problems of all files are collected and
raised once as a :class:`DataError`.

Two loaders read the same text the same way: libyaml (C, via PyYAML) reads valid files
fast, and ruamel's round-trip loader, about 20 times slower, re-reads a file only when
something is wrong, because it remembers the line and column of every value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin

import yaml as pyyaml
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.resolver import VersionedResolver

from .model import FaqEntry, FaqFile, Kommune

KOMMUNEN_DIR = "kommunen"
FAQ_FILE = "faq.yml"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a data file."""

    path: Path
    line: int  # 1-based
    column: int  # 1-based
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.path}:{self.line}:{self.column}:{field} {self.message}"


class DataError(Exception):
    """The data has problems; ``problems`` lists all of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --- YAML -----------------------------------------------------------------------------------


class _TextResolver(VersionedResolver):
    """Resolve every plain scalar to a string, except an empty value or ~ (null)."""

    _resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}

    @property
    def versioned_resolver(self) -> dict[str, list[tuple[str, re.Pattern[str]]]]:
        return self._resolvers


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
for _first in ["~", "n", "N", ""]:
    _TextResolver._resolvers.setdefault(_first, []).append(("tag:yaml.org,2002:null", _NULL))


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Resolver = _TextResolver
    # Quoted scalars then arrive as a str subclass: the model can tell "01067" from 01067.
    yaml.preserve_quotes = True
    return yaml


class QuotedText(str):
    """A scalar written in quotes or as a block (| or >) by the fast loader.

    The round-trip loader marks these with its own str subclasses; either way the model
    tells a quoted "01067" (text) from a plain 01067 (rejected as ambiguous).
    """


class _FastLoader(getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)):  # type: ignore[misc]
    """libyaml with the same resolution as _TextResolver: text, or null; duplicate keys refused."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        keys = [key.value for key, _ in node.value if isinstance(key, pyyaml.ScalarNode)]
        if len(keys) != len(set(keys)):
            # The round-trip loader reports the duplicate with its position.
            raise pyyaml.constructor.ConstructorError(None, None, "duplicate key", node.start_mark)
        return super().construct_mapping(node, deep=deep)

    def construct_text(self, node: Any) -> str:
        value = self.construct_scalar(node)
        return QuotedText(value) if node.style in ('"', "'", "|", ">") else value


for _first in ["~", "n", "N", ""]:
    _FastLoader.add_implicit_resolver("tag:yaml.org,2002:null", _NULL, [_first])
_FastLoader.add_constructor("tag:yaml.org,2002:str", _FastLoader.construct_text)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DataError(
            [Problem(path, 1, 1, "", f"not UTF-8 text ({error}); save the file as UTF-8")]
        ) from None


def read_yaml_fast(path: Path) -> Any:
    """The file's data via libyaml (raises yaml.YAMLError where it refuses the file)."""
    return pyyaml.load(_read_text(path), Loader=_FastLoader)  # noqa: S506 (a safe loader)


def read_data(path: Path) -> Any:
    """The file's data: via libyaml when it takes the file, else via read_yaml, which raises
    DataError with the position of the problem (or reads what libyaml refused)."""
    try:
        return read_yaml_fast(path)
    except pyyaml.YAMLError:
        return read_yaml(path)


def read_yaml(path: Path) -> Any:
    """Load one YAML file with positions (raises DataError with the position of a syntax error)."""
    text = _read_text(path)
    try:
        return _yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(str(x) for x in (error.context, error.problem) if x)
        raise DataError(
            [
                Problem(
                    path,
                    line,
                    column,
                    "",
                    f"YAML syntax error: {what}; check indentation, "
                    "colons and quotes on this line and the one above",
                )
            ]
        ) from None


# --- locating pydantic errors in the YAML tree ------------------------------------------------


def locate(node: Any, loc: tuple[int | str, ...], at_key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the deepest YAML node on ``loc`` (of its key if ``at_key``)."""
    line, column = _start(node)
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            key_line, key_col, value_line, value_col = node.lc.data[part]
            child = node[part]
            if at_key or isinstance(child, CommentedMap | CommentedSeq):
                line, column = key_line + 1, key_col + 1
            else:
                line, column = value_line + 1, value_col + 1
            node = child
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            item_line, item_col = node.lc.data[part]
            line, column = item_line + 1, item_col + 1
            node = node[part]
        elif isinstance(node, CommentedMap) and isinstance(part, str):
            # An unknown key reported under its own name, or a missing key: point at the map.
            break
        else:
            break
    return line, column


def _start(node: Any) -> tuple[int, int]:
    if isinstance(node, CommentedMap | CommentedSeq) and node.lc.line is not None:
        return node.lc.line + 1, node.lc.col + 1
    return 1, 1


def _field_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[type[BaseModel] | None, Any]:
    """The model that holds the last key of ``loc``, and that key's FieldInfo (or None)."""
    annotation: Any = model
    owner, info = None, None
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            continue
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None, None
        owner, info = annotation, annotation.model_fields.get(part)
        if info is None:
            return owner, None
        annotation = info.annotation
    return owner, info


def _field_hint(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """Description and example of the field at ``loc``, for "write ... instead"."""
    _, info = _field_at(model, loc)
    if info is None:
        return ""
    hint = info.description or ""
    if info.examples:
        hint += f" Example: {info.examples[0]!r}."
    return hint.strip()


def _unwrap(annotation: Any) -> Any:
    """list[X] -> X, X | None -> X."""
    while True:
        origin = get_origin(annotation)
        if origin in (list, tuple):
            annotation = get_args(annotation)[0]
        elif origin in (Union, UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def problems_from_validation(
    path: Path, tree: Any, model: type[BaseModel], error: ValidationError
) -> Iterator[Problem]:
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        line, column = locate(tree, loc, at_key=item["type"] == "extra_forbidden")
        field = ".".join(str(p) for p in loc)
        message = item["msg"].removeprefix("Value error, ")
        kind = item["type"]
        if kind == "extra_forbidden":
            owner, _ = _field_at(model, loc)
            allowed = ", ".join(owner.model_fields) if owner else ""
            message = f"unknown key {loc[-1]!r}; allowed keys: {allowed}"
        elif kind == "missing":
            hint = _field_hint(model, loc)
            message = f"required key {loc[-1]!r} is missing; add it" + (f" ({hint})" if hint else "")
        elif kind != "value_error":
            got = item.get("input")
            if not isinstance(got, dict | list):
                message += f"; got {got!r}"
            hint = _field_hint(model, loc)
            if hint:
                message += f". Expected: {hint}"
        yield Problem(path, line, column, field, message)


# --- files to models --------------------------------------------------------------------------

Model = TypeVar("Model", bound=BaseModel)


def load_model(
    path: Path, model: type[Model], *, default: Any = None, shape: str = "key: value lines"
) -> Model:
    """Validate ``path`` against ``model`` (``default`` stands for an empty file).

    Raises DataError with the line and column of every problem; ``shape`` says what the
    file must look like when it is not a mapping at all.
    """
    # A file libyaml refuses is read again with positions, never taken for an empty one.
    tree = read_data(path)
    if tree is None:
        tree = default
    if isinstance(tree, dict):
        try:
            return model.model_validate(tree)
        except ValidationError:
            pass  # read again below, with positions
    tree = read_yaml(path)
    if tree is None:
        tree = default
    if not isinstance(tree, dict):
        raise DataError([Problem(path, 1, 1, "", f"the file must be a YAML mapping ({shape})")])
    try:
        return model.model_validate(tree)
    except ValidationError as error:
        raise DataError(problems_from_validation(path, tree, model, error)) from None


class Positions:
    """Line and column of the values of one file, read with positions only when first asked."""

    def __init__(self, path: Path):
        self.path = path
        self._tree: Any = None

    def __call__(self, loc: tuple[int | str, ...]) -> tuple[int, int]:
        if self._tree is None:
            self._tree = read_yaml(self.path)
        return locate(self._tree, loc)


# --- Kommunen ---------------------------------------------------------------------------------


def load_kommune_file(path: Path) -> tuple[Kommune | None, list[Problem]]:
    try:
        return load_model(path, Kommune), []
    except DataError as error:
        return None, error.problems


def load_kommunen(data_dir: Path) -> list[Kommune]:
    """All Kommune files of ``data_dir``, sorted by slug; raises DataError with every problem."""
    folder = data_dir / KOMMUNEN_DIR
    paths = sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml"))
    if not paths:
        raise DataError([Problem(folder, 1, 1, "", "no Kommune files (*.yml) found here")])
    problems: list[Problem] = []
    kommunen: list[Kommune] = []
    first_seen: dict[str, Path] = {}
    for path in paths:
        kommune, file_problems = load_kommune_file(path)
        problems += file_problems
        if kommune is None:
            continue
        positions = Positions(path)
        if kommune.slug in first_seen:
            line, column = positions(("slug",))
            problems.append(
                Problem(
                    path,
                    line,
                    column,
                    "slug",
                    f"slug {kommune.slug!r} is already used by "
                    f"{first_seen[kommune.slug]}; every Kommune needs its own slug "
                    f"(usually the file name: {path.stem!r})",
                )
            )
            continue
        first_seen[kommune.slug] = path
        problems += _check_offices(path, positions, kommune)
        kommunen.append(kommune)
    if problems:
        raise DataError(problems)
    return sorted(kommunen, key=lambda k: k.slug)


def _check_offices(path: Path, positions: Positions, kommune: Kommune) -> Iterator[Problem]:
    names = {g.name for g in kommune.gemeinden}
    for index, office in enumerate(kommune.offices):
        if office.gemeinde is not None and office.gemeinde not in names:
            line, column = positions(("offices", index, "gemeinde"))
            yield Problem(
                path,
                line,
                column,
                f"offices.{index}.gemeinde",
                f"{office.gemeinde!r} is not one of this Kommune's gemeinden; write one of: "
                f"{', '.join(sorted(names)) or '(no gemeinden listed)'}",
            )


# --- FAQ ------------------------------------------------------------------------------------------


def load_faq(data_dir: Path, topic_pages: Iterable[str] = ()) -> tuple[FaqEntry, ...]:
    """The entries of ``data_dir/faq.yml`` in file order (none if the file does not exist).

    Raises DataError with every problem (schema, duplicate ids, a topic without its page
    in ``topic_pages``).
    """
    path = data_dir / FAQ_FILE
    if not path.exists():
        return ()
    entries = load_model(path, FaqFile, shape="starting with 'faq:'").faq
    positions = Positions(path)
    problems = []
    seen: set[str] = set()
    pages = set(topic_pages)
    for index, entry in enumerate(entries):
        if pages and entry.topic.value not in pages:
            line, column = positions(("faq", index, "topic"))
            problems.append(
                Problem(
                    path,
                    line,
                    column,
                    f"faq.{index}.topic",
                    f"topic {entry.topic.value!r} has no page; "
                    f"write docs/themen/{entry.topic.value}.md first",
                )
            )
        if entry.id in seen:
            line, column = positions(("faq", index, "id"))
            problems.append(
                Problem(
                    path, line, column, f"faq.{index}.id", f"id {entry.id!r} is used twice; ids are unique"
                )
            )
        seen.add(entry.id)
    if problems:
        raise DataError(problems)
    return tuple(entries)
