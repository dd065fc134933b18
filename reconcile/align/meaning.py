"""Meaning: static sentence embeddings shipped in the wordllama wheel (MIT), read by path.

Each sentence is the mean of its tokens' vectors (wordllama's own pooling), normalised, so two
sentences' cosine is a dot product. Nothing here touches the network: the weights and the
tokenizer are files of an installed package, and wordllama's own loader (which looks for the
tokenizer in the wrong folder, then downloads it) is never called.
"""
from __future__ import annotations

import functools
import importlib.util
import os

WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
PAIRS_PER_CHUNK = 8192


@functools.lru_cache(maxsize=1)
def _model():
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    root = _package_folder()
    tokenizer = Tokenizer.from_file(os.path.join(root, TOKENIZER))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    # Kept as stored (float16): each text's few rows are summed in float32, and converting the
    # whole matrix would cost a run of three articles a tenth of its time.
    weights = load_file(os.path.join(root, WEIGHTS))["embedding.weight"]
    return tokenizer, weights


def _package_folder() -> str:
    """Where wordllama is installed, found without importing it (its import pulls in pydantic
    and a network client, which reading two files needs neither of)."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("wordllama is not installed")
    return list(spec.submodule_search_locations)[0]


def available() -> bool:
    """Whether the embedding files and the libraries that read them are installed."""
    try:
        _model()
    except (ImportError, OSError, KeyError):
        return False
    return True


def embed(texts: list[str]):
    """One unit vector (float32, 256 wide) per text; an empty text gets zeros."""
    import numpy as np

    tokenizer, weights = _model()
    last = weights.shape[0] - 1
    sums = np.zeros((len(texts), weights.shape[1]), dtype=np.float32)
    # One short gather and sum per text: measured faster than any batched form (reduceat,
    # running sums), whose intermediate arrays leave the processor cache.
    for row, encoding in enumerate(tokenizer.encode_batch(texts, add_special_tokens=False)):
        ids = encoding.ids
        if ids:
            sums[row] = weights[np.minimum(ids, last)].sum(axis=0, dtype=np.float32)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)


def similarities(vectors, pairs: list[tuple[int, int]]):
    """The cosine of each pair of rows of `vectors` (unit vectors), as a float64 array."""
    import numpy as np

    index = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    out = np.zeros(len(index), dtype=np.float64)
    for start in range(0, len(index), PAIRS_PER_CHUNK):  # the gathered rows stay small
        chunk = index[start:start + PAIRS_PER_CHUNK]
        out[start:start + len(chunk)] = np.einsum("ij,ij->i", vectors[chunk[:, 0]], vectors[chunk[:, 1]])
    return out
