#!/usr/bin/env python3
"""Write golden fixtures for the Java Shapley estimator.

The models are a tiny DeepFM and a tiny DCN-Mix with the reference module structure and
state-dict names, random weights and batch norms with non-trivial running statistics. The
script runs the reference permutation estimator in its plainest form, in float64: one
permutation of the m * d coordinates per sample and pass, one coordinate removed per step,
and a full forward of the head after every removal. It writes per model:

  model.safetensors  weights (safetensors written by hand with struct + json)
  model.json         architecture in io.shaver.model.ModelConfig JSON
  shapley.json       ids, labels, sample keys, the permutations used (per pass and sample),
                     the codebook, and the expected phi and standard error per parameter for
                     the zero and the codebook placeholder

Needs only torch and numpy (Debian's python3-torch 1.13):

  /usr/bin/python3 spark-job/src/test/python/make_shapley_golden.py \
      spark-job/src/test/resources/golden/shapley
"""
import json
import os
import struct
import sys

import torch
from torch import nn
from torch.nn import functional as F

FIELD_NAMES = ["user", "item", "category", "device"]
FIELD_SIZES = [3, 4, 5, 2]
EMBEDDING_DIM = 4
HIDDEN_SIZES = [8, 6]
CROSS_LAYERS = 2
EXPERTS = 2
RANK = 3
SAMPLES = 10
PASSES = 3
SEED = 2023


def mlp(inputs, hidden):
    """Linear -> BatchNorm1d -> ReLU -> Dropout per hidden size, then Linear(-> 1)."""
    layers = []
    for size in hidden:
        layers += [nn.Linear(inputs, size), nn.BatchNorm1d(size), nn.ReLU(), nn.Dropout(0.5)]
        inputs = size
    layers.append(nn.Linear(inputs, 1))
    return nn.Sequential(*layers)


class DeepFM(nn.Module):
    def __init__(self):
        super().__init__()
        rows = sum(FIELD_SIZES)
        self.embedding = nn.Embedding(rows, EMBEDDING_DIM)
        self.fc = nn.EmbeddingBag(rows, 1, mode="sum")
        self.linear_layer = nn.Linear(1, 1)
        self._bias = nn.Parameter(torch.zeros(1))
        self._deep_branch = mlp(len(FIELD_SIZES) * EMBEDDING_DIM, HIDDEN_SIZES)
        self.register_buffer("offsets", field_offsets())

    def head(self, emb, ids):
        """Logits from looked-up embeddings emb [B, m, d] and ids [B, m]."""
        first_order = self.fc(ids) + self._bias
        fm = 0.5 * (emb.sum(1).pow(2) - emb.pow(2).sum(1)).sum(1, keepdim=True)
        deep = self._deep_branch(emb.flatten(1))
        return (first_order + fm + deep).squeeze(1)


class CrossMix(nn.Module):
    """Mixture of low-rank cross experts; identity gate, tanh activations."""

    def __init__(self, width):
        super().__init__()
        def stack(*shape):
            return nn.ParameterList(
                [nn.Parameter(torch.empty(*shape)) for _ in range(CROSS_LAYERS)])
        self.U = stack(EXPERTS, RANK, width)
        self.C = stack(EXPERTS, RANK, RANK)
        self.V = stack(EXPERTS, width, RANK)
        self.biases = stack(1, width)
        self.gates = nn.Parameter(torch.empty(EXPERTS, width, 1))

    def forward(self, x0):
        x = x0
        for layer in range(CROSS_LAYERS):
            mixed = x.clone()
            for expert in range(EXPERTS):
                low = torch.tanh(x @ self.V[layer][expert])
                low = torch.tanh(low @ self.C[layer][expert])
                term = x0 * (low @ self.U[layer][expert] + self.biases[layer])
                gate = x @ self.gates[expert]
                mixed = mixed + gate * term
            x = mixed
        return x


class DcnMix(nn.Module):
    def __init__(self):
        super().__init__()
        width = len(FIELD_SIZES) * EMBEDDING_DIM
        self.embedding = nn.Embedding(sum(FIELD_SIZES), EMBEDDING_DIM)
        self.cross_head = CrossMix(width)
        self._dnn = mlp(width, HIDDEN_SIZES)
        self.register_buffer("offsets", field_offsets())

    def head(self, emb, ids):
        return self._dnn(self.cross_head(emb.flatten(1))).squeeze(1)


def field_offsets():
    offsets = [0]
    for size in FIELD_SIZES[:-1]:
        offsets.append(offsets[-1] + size)
    return torch.tensor([offsets], dtype=torch.long)


def randomize(model, generator):
    """Random weights; batch norms get running statistics away from 0 and 1."""
    with torch.no_grad():
        for name, tensor in model.named_parameters():
            if name in ("embedding.weight", "fc.weight"):
                tensor.copy_(0.5 * torch.randn(tensor.shape, generator=generator))
            elif name.startswith("cross_head.") and "biases" not in name:
                fan_in = tensor.shape[1] * tensor.shape[2]
                tensor.copy_(torch.randn(tensor.shape, generator=generator) * (2.0 / fan_in) ** 0.5)
            else:
                tensor.copy_(torch.rand(tensor.shape, generator=generator) - 0.5)
        for module in model.modules():
            if isinstance(module, nn.BatchNorm1d):
                module.running_mean.copy_(torch.rand(module.num_features, generator=generator) - 0.5)
                module.running_var.copy_(0.5 + torch.rand(module.num_features, generator=generator))
    model.eval()


def reference_phi(model, ids, labels, placeholder, permutations):
    """The reference estimator with full forwards: returns (phi, se) over all parameters."""
    rows, dim = model.embedding.weight.shape
    fields = ids.shape[1]
    players = fields * dim
    total = torch.zeros(rows * dim, dtype=torch.float64)
    squares = torch.zeros(rows * dim, dtype=torch.float64)
    count = 0
    with torch.no_grad():
        for perms in permutations:
            emb = model.embedding(ids).reshape(len(ids), players).clone()
            before = F.binary_cross_entropy_with_logits(
                model.head(emb.reshape(len(ids), fields, dim), ids), labels, reduction="none")
            for step in range(players):
                slot = perms[:, step]
                emb[torch.arange(len(ids)), slot] = placeholder[slot]
                after = F.binary_cross_entropy_with_logits(
                    model.head(emb.reshape(len(ids), fields, dim), ids), labels, reduction="none")
                diff = after - before
                parameter = ids[torch.arange(len(ids)), slot // dim] * dim + slot % dim
                total.index_add_(0, parameter, diff)
                squares.index_add_(0, parameter, diff * diff)
                before = after
            count += len(ids)
    phi = total / count
    se = torch.sqrt(torch.clamp(squares / count - phi * phi, min=0) / count)
    return phi, se


def codebook(model, ids):
    """Frequency-weighted mean of each field's rows, counts taken over the given ids."""
    table = model.embedding.weight.detach()
    counts = torch.bincount(ids.flatten(), minlength=table.shape[0]).to(torch.float64)
    values = []
    start = 0
    for size in FIELD_SIZES:
        weights = counts[start:start + size]
        values.append((weights[:, None] * table[start:start + size]).sum(0) / weights.sum())
        start += size
    return torch.cat(values)


DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def write_safetensors(path, tensors):
    header = {}
    chunks = []
    offset = 0
    for name, tensor in tensors.items():
        data = tensor.contiguous().numpy().tobytes()
        header[name] = {"dtype": DTYPES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(encoded)))
        out.write(encoded)
        for chunk in chunks:
            out.write(chunk)


def model_json(kind):
    return {"kind": kind, "field_names": FIELD_NAMES, "field_sizes": FIELD_SIZES,
            "embedding_dim": EMBEDDING_DIM, "hidden_sizes": HIDDEN_SIZES, "batch_norm": True,
            "cross_layers": CROSS_LAYERS, "experts": EXPERTS, "rank": RANK,
            "structure": "stacked"}


def write_fixture(directory, kind, model, generator):
    os.makedirs(directory, exist_ok=True)
    state = {name: tensor.detach().clone() for name, tensor in model.state_dict().items()
             if not name.endswith("num_batches_tracked")}
    write_safetensors(os.path.join(directory, "model.safetensors"), state)
    with open(os.path.join(directory, "model.json"), "w") as out:
        json.dump(model_json(kind), out, indent=2)
        out.write("\n")

    starts = field_offsets()[0]
    ids = torch.stack([torch.randint(0, size - 1 if size > 2 else size, (SAMPLES,),
                                     generator=generator) for size in FIELD_SIZES], dim=1)
    ids = ids + starts
    labels = torch.randint(0, 2, (SAMPLES,), generator=generator).to(torch.float64)
    keys = torch.arange(100, 100 + SAMPLES)
    players = len(FIELD_SIZES) * EMBEDDING_DIM
    permutations = torch.stack([torch.stack([torch.randperm(players, generator=generator)
                                             for _ in range(SAMPLES)]) for _ in range(PASSES)])

    model = model.double()
    book = codebook(model, ids)
    expected = {}
    for name, placeholder in (("zero", torch.zeros(players, dtype=torch.float64)),
                              ("codebook", book.to(torch.float32).to(torch.float64))):
        phi, se = reference_phi(model, ids, labels, placeholder, permutations)
        expected[name] = {"phi": phi.tolist(), "se": se.tolist()}

    fixture = {
        "kind": kind,
        "passes": PASSES,
        "ids": ids.tolist(),
        "labels": labels.tolist(),
        "keys": keys.tolist(),
        "permutations": permutations.tolist(),
        "codebook": book.tolist(),
        "expected": expected,
    }
    with open(os.path.join(directory, "shapley.json"), "w") as out:
        json.dump(fixture, out)
        out.write("\n")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_shapley_golden.py OUTPUT_DIR")
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    for kind, model in (("deepfm", DeepFM()), ("dcn_mix", DcnMix())):
        randomize(model, generator)
        write_fixture(os.path.join(sys.argv[1], kind), kind, model, generator)


if __name__ == "__main__":
    main()
