"""The argostranslate side of `kim-site translate`: installed models, routes, batched decoding.

argostranslate is an optional extra (it pulls stanza and torch), so nothing here is imported
at module level. Installed argos packages are plain folders (``metadata.json``, ``model/`` for
CTranslate2, ``sentencepiece.model``); this module reads them itself and drives CTranslate2
directly: argostranslate's ``translate()`` handles one string per call, and its sentence
splitters download models on first use, which fails offline.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .languages import SOURCE_LOCALE

INSTALL_HINT = (
    "pip install 'kim-site[translate]'   (without a GPU, install a CPU build of torch first, "
    "e.g. pip install torch==2.13.0 on the project's machines)"
)
PIVOT = "en"
# Decoding as argostranslate does it (settings.beam_size, translate.apply_packaged_translation).
BEAM_SIZE = 4
LENGTH_PENALTY = 0.2
MAX_BATCH_SIZE = 32


class TranslationUnavailable(Exception):
    """The optional dependencies of machine translation are not installed."""


class ModelError(Exception):
    """A model file or an installed model is unusable."""


@dataclass(frozen=True)
class Model:
    """One installed argos package (a language pair)."""

    from_code: str
    to_code: str
    path: Path
    target_prefix: str = ""

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"


def _require(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise TranslationUnavailable(
            f"machine translation needs the optional dependencies ({error.name} is missing): " + INSTALL_HINT
        ) from None


def packages_dir() -> Path:
    """Where argos packages are installed (ARGOS_PACKAGES_DIR, else argostranslate's default)."""
    configured = os.environ.get("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured)
    settings = _require("argostranslate.settings")
    return Path(settings.package_data_dir)


def _read_model(folder: Path) -> Model | None:
    metadata = folder / "metadata.json"
    if not metadata.is_file():
        return None
    try:
        data = json.loads(metadata.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ModelError(f"{metadata}: unreadable ({error})") from None
    if data.get("type", "translate") != "translate" or not data.get("from_code") or not data.get("to_code"):
        return None
    return Model(data["from_code"], data["to_code"], folder, data.get("target_prefix", "") or "")


def installed_models(directory: Path | None = None) -> dict[tuple[str, str], Model]:
    """Installed translation packages by (from, to) language code."""
    directory = directory or packages_dir()
    found: dict[tuple[str, str], Model] = {}
    if not directory.is_dir():
        return found
    for folder in sorted(directory.iterdir()):
        model = _read_model(folder) if folder.is_dir() else None
        if model is not None:
            found.setdefault((model.from_code, model.to_code), model)
    return found


def route(target: str, models: dict[tuple[str, str], Model]) -> list[Model] | None:
    """Models from German to ``target``: direct if there is one, else through English."""
    if (SOURCE_LOCALE, target) in models:
        return [models[(SOURCE_LOCALE, target)]]
    if target != PIVOT and (SOURCE_LOCALE, PIVOT) in models and (PIVOT, target) in models:
        return [models[(SOURCE_LOCALE, PIVOT)], models[(PIVOT, target)]]
    return None


def install_model(file: Path, directory: Path | None = None) -> Model:
    """Install an ``.argosmodel`` file (a zip holding one package folder) from disk."""
    if not zipfile.is_zipfile(file):
        raise ModelError(f"{file}: not an argos model (an .argosmodel file is a zip archive)")
    directory = directory or packages_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(file) as archive:
        names = [n for n in archive.namelist() if n.strip("/")]
        tops = {n.split("/", 1)[0] for n in names}
        if len(tops) != 1 or any(".." in Path(n).parts or Path(n).is_absolute() for n in names):
            raise ModelError(f"{file}: expected one package folder in the archive, found {sorted(tops)}")
        top = tops.pop()
        for required in ("metadata.json", "model/model.bin"):
            if f"{top}/{required}" not in names:
                raise ModelError(f"{file}: {top}/{required} is missing; not an argos translation package")
        # Unpack beside the target and move into place, so a failed install leaves nothing.
        with tempfile.TemporaryDirectory(dir=directory, prefix=".install-") as temp:
            archive.extractall(temp)
            model = _read_model(Path(temp) / top)
            if model is None:
                raise ModelError(f"{file}: metadata.json names no from_code / to_code")
            target = directory / top
            if target.exists():
                shutil.rmtree(target)
            os.replace(Path(temp) / top, target)
    installed = _read_model(target)
    assert installed is not None  # read just above, before the move
    return installed


def resolve_device(requested: str | None = None) -> str:
    """'cuda' or 'cpu': the --device option, else ARGOS_DEVICE_TYPE, else a GPU if there is one."""
    device = (requested or os.environ.get("ARGOS_DEVICE_TYPE") or "auto").lower()
    if device not in {"auto", "cpu", "cuda"}:
        raise ModelError(f"unknown device {device!r}; use auto, cpu or cuda")
    if device == "auto":
        ctranslate2 = _require("ctranslate2")
        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    return device


Progress = Callable[[int], None]


class SentenceTranslator(Protocol):
    def translate(self, sentences: Sequence[str], progress: Progress | None = None) -> list[str]: ...


class BatchTranslator:
    """One argos model driven through CTranslate2: all sentences in sorted batches."""

    def __init__(self, model: Model, device: str = "cpu"):
        ctranslate2 = _require("ctranslate2")
        sentencepiece = _require("sentencepiece")
        tokenizer = model.path / "sentencepiece.model"
        if not tokenizer.is_file():
            raise ModelError(f"{model.path}: no sentencepiece.model (BPE packages are not supported)")
        self.model = model
        self.device = device
        self.tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(tokenizer))
        # On a CPU, one model replica per core, each decoding its own batch on one thread,
        # beats one replica spreading every small matrix product over all cores (1.4x on 2
        # cores, BENCHMARKS.md). A GPU runs one replica.
        replicas = (os.cpu_count() or 1) if device == "cpu" else 1
        self.replicas = int(os.environ.get("ARGOS_INTER_THREADS", replicas))
        self.translator = ctranslate2.Translator(
            str(model.path / "model"),
            device=device,
            compute_type=os.environ.get("ARGOS_COMPUTE_TYPE", "auto"),
            inter_threads=self.replicas,
            intra_threads=int(os.environ.get("ARGOS_INTRA_THREADS", "1" if device == "cpu" else "0")),
        )
        # Sentences per call: two batches for every replica (all busy), few enough for a
        # progress bar that moves.
        self.chunk = 2 * MAX_BATCH_SIZE * self.replicas

    def translate(self, sentences: Sequence[str], progress: Progress | None = None) -> list[str]:
        unique = sorted(set(sentences), key=lambda s: (len(s), s))
        done: dict[str, str] = {}
        # Sorting by length keeps padding small inside each batch; sorting also makes the
        # batches (and so the output) independent of the order the entries came in.
        for start in range(0, len(unique), self.chunk):
            chunk = unique[start : start + self.chunk]
            tokens = [self.tokenizer.encode(sentence, out_type=str) for sentence in chunk]
            prefix = [[self.model.target_prefix]] * len(chunk) if self.model.target_prefix else None
            results = self.translator.translate_batch(
                tokens,
                target_prefix=prefix,
                replace_unknowns=True,
                max_batch_size=MAX_BATCH_SIZE,
                beam_size=BEAM_SIZE,
                length_penalty=LENGTH_PENALTY,
            )
            for sentence, result in zip(chunk, results, strict=True):
                done[sentence] = self._decode(result.hypotheses[0])
            if progress:
                progress(len(chunk))
        return [done[sentence] for sentence in sentences]

    def _decode(self, pieces: list[str]) -> str:
        text: str = self.tokenizer.decode_pieces(pieces).replace("▁", " ")
        if self.model.target_prefix and text.startswith(self.model.target_prefix):
            text = text[len(self.model.target_prefix) :]
        return text.strip()
