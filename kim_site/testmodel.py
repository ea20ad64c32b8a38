"""Build a valid argos package with random weights, offline: for tests and the benchmark.

No real model can be downloaded on the build machines, so the tests and `kim-site bench`
make their own: a sentencepiece tokenizer trained on a few sentences and a CTranslate2
Transformer with random weights, zipped as an ``.argosmodel`` like the published ones. It
translates into garbage, but through exactly the code path of a real model. A bias on the
end-of-sentence token keeps the garbage about as long as a real translation.

Needs the ``translate`` extra plus numpy (which CTranslate2 brings).
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .translate import _require

CORPUS = (
    "Wer hilft Ihnen in Ihrer Stadt oder in Ihrem Kreis?",
    "Die Ausländerbehörde ist für Ihren Aufenthalt zuständig.",
    "Das Case Management begleitet Sie persönlich.",
    "Fragen Sie bitte im Amt nach.",
    "Die Informationen gibt es in zwanzig Sprachen.",
    "Wählen Sie den Ort, an dem Sie wohnen.",
    "Diese Seite gibt allgemeine Informationen.",
    "Jede Kommune organisiert das selbst.",
    "Who helps you in your town or district?",
    "The immigration office is responsible for your residence.",
    "Case management accompanies you personally.",
    "Please ask at the office.",
    "The information is available in twenty languages.",
    "Choose the place where you live.",
    "This page gives general information.",
    "Each municipality organises this itself.",
)
SPECIAL = ["<blank>", "<unk>", "<s>", "</s>"]


@dataclass(frozen=True)
class ModelSize:
    layers: int = 1
    d_model: int = 16
    heads: int = 2
    ffn: int = 32
    vocabulary: int = 0  # pad the vocabulary to this size (0: the tokenizer's pieces only)
    eos_bias: float = 1.0  # found by trying: outputs of roughly the length of the input
    quantization: str | None = None
    # > 0: end sentences after about this many tokens, through a decoder position encoding
    # that grows with the position and feeds only the end-of-sentence logit. A bias alone
    # gives lengths with a long tail (mean 8, max 238 tokens), unlike real translations.
    eos_ramp: float = 0.0


TINY = ModelSize()
# About the size of a published argos model (Transformer base: 6+6 layers, 512 wide,
# 8 heads, 2048 feed-forward, a 32k shared vocabulary).
# Published argos models are int8-quantized, so is this one.
ARGOS_SIZED = ModelSize(
    layers=6,
    d_model=512,
    heads=8,
    ffn=2048,
    vocabulary=32000,
    eos_bias=0.0,
    quantization="int8",
    eos_ramp=0.4,
)


def build_argos_package(
    output_dir: Path, from_code: str, to_code: str, size: ModelSize = TINY, seed: int = 0
) -> Path:
    """Write ``translate-<from>_<to>-0_1.argosmodel`` into ``output_dir``; returns its path."""
    np = _require("numpy")
    spm = _require("sentencepiece")
    specs = _require("ctranslate2.specs")

    proto = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS * 4),
        model_writer=proto,
        vocab_size=120,
        hard_vocab_limit=False,
        character_coverage=1.0,
        bos_id=-1,
        eos_id=-1,
        pad_id=-1,
        unk_id=0,
        minloglevel=2,
    )
    tokenizer = spm.SentencePieceProcessor(model_proto=proto.getvalue())
    pieces = [tokenizer.id_to_piece(i) for i in range(tokenizer.get_piece_size()) if i != tokenizer.unk_id()]
    vocabulary = SPECIAL + pieces
    vocabulary += [f"▁x{i}" for i in range(max(0, size.vocabulary - len(vocabulary)))]

    rng = np.random.default_rng(seed)
    d, v = size.d_model, len(vocabulary)
    spec = specs.TransformerSpec.from_config(size.layers, size.heads)

    def weight(rows: int, cols: int) -> object:
        return rng.normal(0.0, 1.0 / np.sqrt(cols), (rows, cols)).astype(np.float32)

    for name, value in spec.variables().items():
        if value is not None:
            continue
        if name.endswith("gamma"):
            array = np.ones(d, dtype=np.float32)
        elif name.endswith("beta"):
            array = np.zeros(d, dtype=np.float32)
        elif "embeddings" in name or "projection" in name:
            array = weight(v, d)
        elif "ffn/linear_0" in name:
            array = weight(size.ffn, d)
        elif "ffn/linear_1" in name:
            array = weight(d, size.ffn)
        elif "self_attention/linear_0" in name:
            array = weight(3 * d, d)
        elif "/attention/linear_1" in name:  # cross-attention keys and values
            array = weight(2 * d, d)
        else:
            array = weight(d, d)
        _set(spec, name, array)
    eos = SPECIAL.index("</s>")
    bias = np.zeros(v, dtype=np.float32)
    bias[eos] = size.eos_bias
    spec.decoder.projection.bias = bias
    if size.eos_ramp:
        positions = rng.normal(0.0, 1.0, (1024, d)).astype(np.float32)
        positions[:, 0] = np.arange(1024, dtype=np.float32)
        spec.decoder.position_encodings.encodings = positions
        projection = spec.decoder.projection.weight
        projection[:, 0] = 0.0
        projection[eos, :] = 0.0
        projection[eos, 0] = size.eos_ramp
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=size.quantization)

    name = f"translate-{from_code}_{to_code}-0_1"
    archive = output_dir / f"{name}.argosmodel"
    with tempfile.TemporaryDirectory() as temp:
        package = Path(temp) / name
        (package / "model").mkdir(parents=True)
        spec.save(str(package / "model"))
        (package / "sentencepiece.model").write_bytes(proto.getvalue())
        metadata = {
            "package_version": "0.1",
            "argos_version": "1.11",
            "from_code": from_code,
            "from_name": from_code,
            "to_code": to_code,
            "to_name": to_code,
            "type": "translate",
        }
        (package / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        output_dir.mkdir(parents=True, exist_ok=True)
        # Stored, not deflated: random weights do not compress, deflating them only takes time.
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:
            for path in sorted(package.rglob("*")):
                zipped.write(path, path.relative_to(temp).as_posix())
    return archive


def _set(spec: object, name: str, value: object) -> None:
    """Set a variable given by its CTranslate2 name, e.g. decoder/layer_0/ffn/linear_0/weight."""
    target = spec
    *path, attribute = name.split("/")
    for part in path:
        base, _, index = part.rpartition("_")
        if index.isdigit() and hasattr(target, base):
            target = getattr(target, base)[int(index)]
        else:
            target = getattr(target, part)
    setattr(target, attribute, value)
