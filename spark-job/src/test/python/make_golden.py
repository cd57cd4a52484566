#!/usr/bin/env python3
"""Write PyTorch golden fixtures for the Java model tests.

Builds DeepFM (with and without batch norm), DCN-Mix (identity gate) and DCNv2 (stacked and
parallel) with the module structure and state-dict names of the reference Shaver models,
gives them random weights and non-trivial batch-norm statistics, and writes for each variant:

  model.safetensors  weights (safetensors written by hand with struct + json)
  model.json         the architecture in io.shaver.model.ModelConfig JSON
  golden.json        fixed input ids, their logits, and the logits after each step of a fixed
                     sequence of single-coordinate embedding replacements

Extra variants test loading: F16 and BF16 weights, a torch.compile-style `_orig_mod.` prefix
and per-field embedding tables. Needs only torch and numpy (Debian's python3-torch 1.13):

  /usr/bin/python3 spark-job/src/test/python/make_golden.py spark-job/src/test/resources/golden
"""
import json
import os
import struct
import sys

import torch
from torch import nn

FIELD_NAMES = ["user", "item", "category", "hour", "device"]
FIELD_SIZES = [3, 4, 5, 6, 7]
EMBEDDING_DIM = 4
HIDDEN_SIZES = [8, 6]
CROSS_LAYERS = 2
EXPERTS = 2
RANK = 3
BATCH = 7
STEPS = 12
SEED = 2023


def offsets_tensor(field_sizes):
    starts = [0]
    for size in field_sizes[:-1]:
        starts.append(starts[-1] + size)
    return torch.tensor([starts], dtype=torch.long)


def mlp_layers(inputs, hidden, batch_norm, p_dropout):
    layers = []
    for size in hidden:
        layers.append(nn.Linear(inputs, size))
        if batch_norm:
            layers.append(nn.BatchNorm1d(size))
        layers.append(nn.ReLU())
        layers.append(nn.Dropout(p_dropout))
        inputs = size
    return layers, inputs


class DeepFM(nn.Module):
    """DeepFM with the reference attribute names (fc, _bias, linear_layer, _deep_branch)."""

    def __init__(self, field_sizes, dim, hidden, batch_norm):
        super().__init__()
        rows = sum(field_sizes)
        self.embedding = nn.Embedding(rows, dim)
        self.fc = nn.EmbeddingBag(rows, 1, mode="sum")
        self.linear_layer = nn.Linear(1, 1)  # present in the reference, never used
        self._bias = nn.Parameter(torch.zeros(1))
        layers, width = mlp_layers(dim * len(field_sizes), hidden, batch_norm, 0.2)
        layers.append(nn.Linear(width, 1))
        self._deep_branch = nn.Sequential(*layers)
        self.register_buffer("offsets", offsets_tensor(field_sizes))

    def head(self, emb, ids):
        square_of_sum = emb.sum(dim=1).pow(2)
        sum_of_square = emb.pow(2).sum(dim=1)
        linear = self.fc(ids) + self._bias
        fm = linear + 0.5 * (square_of_sum - sum_of_square).sum(1, keepdim=True)
        batch, fields, dim = emb.shape
        return (fm + self._deep_branch(emb.reshape(batch, fields * dim))).squeeze(-1)

    def forward(self, ids):
        return self.head(self.embedding(ids), ids)


class MixtureCross(nn.Module):
    """Low-rank cross experts with an identity gate and tanh activations."""

    def __init__(self, experts, layers, rank, width):
        super().__init__()
        self.U = nn.ParameterList([nn.Parameter(torch.empty(experts, rank, width)) for _ in range(layers)])
        self.C = nn.ParameterList([nn.Parameter(torch.empty(experts, rank, rank)) for _ in range(layers)])
        self.V = nn.ParameterList([nn.Parameter(torch.empty(experts, width, rank)) for _ in range(layers)])
        self.biases = nn.ParameterList([nn.Parameter(torch.zeros(1, width)) for _ in range(layers)])
        self.gates = nn.Parameter(torch.empty(experts, width, 1))
        for group in (self.U, self.C, self.V):
            for tensor in group:
                nn.init.kaiming_normal_(tensor)
        nn.init.kaiming_normal_(self.gates)

    def forward(self, x0):
        x = x0
        for layer in range(len(self.U)):
            low = torch.tanh(torch.einsum("bd,edr->ber", x, self.V[layer]))
            low = torch.tanh(torch.einsum("ber,ers->bes", low, self.C[layer]))
            expert = torch.einsum("ber,erd->bed", low, self.U[layer]) + self.biases[layer]
            expert = x0.unsqueeze(1) * expert
            gate = torch.einsum("bd,edo->be", x, self.gates)  # identity gate activation
            x = torch.einsum("be,bed->bd", gate, expert) + x
        return x


class DcnMix(nn.Module):
    def __init__(self, field_sizes, dim, hidden, layers, experts, rank):
        super().__init__()
        self.embedding = nn.Embedding(sum(field_sizes), dim)
        width = dim * len(field_sizes)
        self.cross_head = MixtureCross(experts, layers, rank, width)
        mlp, last = mlp_layers(width, hidden, True, 0.5)
        mlp.append(nn.Linear(last, 1))
        self._dnn = nn.Sequential(*mlp)
        self.register_buffer("offsets", offsets_tensor(field_sizes))

    def head(self, emb, ids):
        return self._dnn(self.cross_head(emb.reshape(emb.shape[0], -1))).squeeze(-1)

    def forward(self, ids):
        return self.head(self.embedding(ids), ids)


class FullCross(nn.Module):
    def __init__(self, layers, width):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(layers)])

    def forward(self, x0):
        x = x0
        for layer in self.layers:
            x = x + x0 * layer(x)
        return x


class DcnV2(nn.Module):
    def __init__(self, field_sizes, dim, hidden, layers, structure):
        super().__init__()
        self.embedding = nn.Embedding(sum(field_sizes), dim)
        width = dim * len(field_sizes)
        self.cross_head = FullCross(layers, width)
        self.structure = structure
        mlp, last = mlp_layers(width, hidden, True, 0.5)
        self._dnn = nn.Sequential(*mlp)
        self._last_fc = nn.Linear(last if structure == "stacked" else width + last, 1)
        self.register_buffer("offsets", offsets_tensor(field_sizes))

    def head(self, emb, ids):
        x0 = emb.reshape(emb.shape[0], -1)
        cross = self.cross_head(x0)
        if self.structure == "stacked":
            deep = self._dnn(cross)
        else:
            deep = torch.cat([cross, self._dnn(x0)], dim=1)
        return self._last_fc(deep).squeeze(-1)

    def forward(self, ids):
        return self.head(self.embedding(ids), ids)


def randomize(model, generator):
    """Replaces default initial values so that every tensor matters (biases, BN affine)."""
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name.startswith("cross_head.") and ".layers." not in name and "biases" not in name:
                # Larger than the reference's Kaiming init, so that the cross network moves
                # the logits visibly at this small width.
                param.copy_(torch.randn(param.shape, generator=generator) * 0.3)
            elif name in ("embedding.weight", "fc.weight"):
                param.copy_(torch.randn(param.shape, generator=generator) * 0.7)
            elif param.dim() == 1 and "_bias" not in name and param.shape[0] > 1 and name.endswith("weight"):
                param.copy_(1.0 + 0.5 * (torch.rand(param.shape, generator=generator) * 2 - 1))
            else:
                # He-uniform bound, so that activations keep their scale through the MLP.
                bound = (6.0 / param.shape[-1]) ** 0.5
                param.copy_((torch.rand(param.shape, generator=generator) * 2 - 1) * bound)


def warm_batch_norm(model, generator, batches=30):
    """Runs train-mode forwards on random ids so that running statistics differ from 0 and 1."""
    model.train()
    with torch.no_grad():
        for _ in range(batches):
            ids = random_ids(generator, 32)
            model(ids)
    model.eval()


def random_ids(generator, batch):
    columns = []
    start = 0
    for size in FIELD_SIZES:
        columns.append(torch.randint(0, size, (batch,), generator=generator) + start)
        start += size
    return torch.stack(columns, dim=1)


DTYPE_NAMES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}


def tensor_bytes(tensor):
    tensor = tensor.detach().contiguous().cpu()
    if tensor.dtype == torch.bfloat16:
        return tensor.view(torch.int16).numpy().astype("<i2").tobytes()
    if tensor.dtype == torch.float16:
        return tensor.numpy().astype("<f2").tobytes()
    if tensor.dtype == torch.float32:
        return tensor.numpy().astype("<f4").tobytes()
    if tensor.dtype == torch.int64:
        return tensor.numpy().astype("<i8").tobytes()
    raise ValueError("unsupported dtype %s" % tensor.dtype)


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        data = tensor_bytes(tensor)
        header[name] = {
            "dtype": DTYPE_NAMES[tensor.dtype],
            "shape": list(tensor.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(encoded)))
        out.write(encoded)
        for blob in blobs:
            out.write(blob)


def model_json(kind, batch_norm=True, structure="stacked"):
    return {
        "kind": kind,
        "field_names": FIELD_NAMES,
        "field_sizes": FIELD_SIZES,
        "embedding_dim": EMBEDDING_DIM,
        "hidden_sizes": HIDDEN_SIZES,
        "batch_norm": batch_norm,
        "cross_layers": CROSS_LAYERS,
        "experts": EXPERTS,
        "rank": RANK,
        "structure": structure,
    }


def golden(model, generator):
    """Logits of fixed ids, then logits after each step of replacing one coordinate per sample."""
    ids = random_ids(generator, BATCH)
    with torch.no_grad():
        logits = model(ids)
        emb = model.embedding(ids).clone()
        width = emb.shape[1] * emb.shape[2]
        steps = []
        for step in range(STEPS):
            coordinates = torch.randint(0, width, (BATCH,), generator=generator)
            if step % 3 == 0:
                values = torch.zeros(BATCH)
            else:
                values = torch.randn(BATCH, generator=generator)
            flat = emb.view(BATCH, width)
            flat[torch.arange(BATCH), coordinates] = values
            steps.append({
                "coordinates": coordinates.tolist(),
                "values": [float(v) for v in values.tolist()],
                "logits": [float(v) for v in model.head(emb, ids).tolist()],
            })
    return {
        "batch": BATCH,
        "ids": ids.reshape(-1).tolist(),
        "logits": [float(v) for v in logits.tolist()],
        "steps": steps,
    }


def round_weights(model, dtype):
    """Rounds every floating tensor to dtype and back, so float32 PyTorch computes the golden."""
    with torch.no_grad():
        for tensor in list(model.parameters()) + list(model.buffers()):
            if tensor.is_floating_point():
                tensor.copy_(tensor.to(dtype).float())


def write_variant(root, name, model, config, generator, dtype=None, rename=None):
    directory = os.path.join(root, name)
    os.makedirs(directory, exist_ok=True)
    state = model.state_dict()
    tensors = {}
    for key, tensor in state.items():
        if dtype is not None and tensor.is_floating_point():
            tensor = tensor.to(dtype)
        tensors[rename(key) if rename else key] = tensor
    if rename is not None:
        tensors = {k: v for k, v in tensors.items() if k is not None}
    write_safetensors(os.path.join(directory, "model.safetensors"), tensors,
                      {"source": "make_golden.py", "variant": name, "seed": str(SEED)})
    with open(os.path.join(directory, "model.json"), "w") as out:
        json.dump(config, out, indent=2)
        out.write("\n")
    with open(os.path.join(directory, "golden.json"), "w") as out:
        json.dump(golden(model, generator), out)
        out.write("\n")


def build(kind, generator, **options):
    if kind == "deepfm":
        model = DeepFM(FIELD_SIZES, EMBEDDING_DIM, HIDDEN_SIZES, options["batch_norm"])
    elif kind == "dcn_mix":
        model = DcnMix(FIELD_SIZES, EMBEDDING_DIM, HIDDEN_SIZES, CROSS_LAYERS, EXPERTS, RANK)
    else:
        model = DcnV2(FIELD_SIZES, EMBEDDING_DIM, HIDDEN_SIZES, CROSS_LAYERS, options["structure"])
    randomize(model, generator)
    warm_batch_norm(model, generator)
    return model


def per_field_names(key):
    """Maps embedding.weight to nothing; per-field tables are added separately."""
    return None if key == "embedding.weight" else key


def write_per_field_variant(root, name, model, config, generator):
    """DeepFM whose embedding is stored as FuxiCTR-style per-field tables."""
    write_variant(root, name, model, config, generator, rename=per_field_names)
    path = os.path.join(root, name, "model.safetensors")
    tensors = {k: v for k, v in model.state_dict().items() if k != "embedding.weight"}
    table = model.embedding.weight.detach()
    start = 0
    for field, size in zip(FIELD_NAMES, FIELD_SIZES):
        key = "embedding_layer.embedding_layer.embedding_dict.%s.weight" % field
        tensors[key] = table[start:start + size].clone()
        start += size
    write_safetensors(path, tensors, {"source": "make_golden.py", "variant": name})


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "golden"
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)

    deepfm_bn = build("deepfm", generator, batch_norm=True)
    write_variant(root, "deepfm_bn", deepfm_bn, model_json("deepfm", True), generator)
    deepfm = build("deepfm", generator, batch_norm=False)
    write_variant(root, "deepfm_nobn", deepfm, model_json("deepfm", False), generator)
    write_per_field_variant(root, "deepfm_field_tables", deepfm, model_json("deepfm", False),
                            generator)

    dcn_mix = build("dcn_mix", generator)
    write_variant(root, "dcn_mix", dcn_mix, model_json("dcn_mix"), generator)
    write_variant(root, "dcn_mix_compiled", dcn_mix, model_json("dcn_mix"), generator,
                  rename=lambda key: "_orig_mod." + key)

    stacked = build("dcnv2", generator, structure="stacked")
    write_variant(root, "dcnv2_stacked", stacked, model_json("dcnv2", structure="stacked"), generator)
    parallel = build("dcnv2", generator, structure="parallel")
    write_variant(root, "dcnv2_parallel", parallel, model_json("dcnv2", structure="parallel"),
                  generator)

    half = build("deepfm", generator, batch_norm=True)
    round_weights(half, torch.float16)
    write_variant(root, "deepfm_bn_f16", half, model_json("deepfm", True), generator,
                  dtype=torch.float16)
    brain = build("dcn_mix", generator)
    round_weights(brain, torch.bfloat16)
    write_variant(root, "dcn_mix_bf16", brain, model_json("dcn_mix"), generator,
                  dtype=torch.bfloat16)


if __name__ == "__main__":
    main()
