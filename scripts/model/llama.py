"""A Llama-family decoder in PyTorch that computes what transformers'
LlamaForCausalLM, MistralForCausalLM and Qwen2ForCausalLM compute, plus a
safetensors writer and reader.

The image has neither `transformers` nor `safetensors`, so both are written
here. The math follows modeling_llama.py, modeling_mistral.py and
modeling_qwen2.py (transformers 4.4x-4.5x):

* LlamaRMSNorm: upcast to float32, x * rsqrt(mean(x^2) + eps), cast back,
  then multiply by the weight;
* rotary embeddings with the rotate_half convention: inv_freq =
  1/theta^(2i/d), rescaled per rope_scaling ("linear": divided by factor;
  "llama3": _compute_llama3_parameters, which keeps high frequencies, divides
  low ones by factor and blends the band between), cos/sin over
  cat(freqs, freqs), q*cos + rotate_half(q)*sin where rotate_half(x) =
  cat(-x[d/2:], x[:d/2]);
* attention over head_dim (config's head_dim, else hidden/heads), keys and
  values repeated for grouped-query attention, scores scaled by
  1/sqrt(head_dim), softmax in float32; q/k/v biases for Qwen2 (model_type
  qwen2), none otherwise; Mistral's sliding window keeps key j for query i
  when i - window < j <= i (transformers' sliding_window_overlay);
* MLP down(silu(gate(x)) * up(x)) without biases;
* lm_head tied to embed_tokens when tie_word_embeddings is true, in which case
  transformers does not store lm_head.weight.

Parameter names equal the Hugging Face names, so state_dict() is the
checkpoint layout.
"""

import json
import math
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.variance_epsilon = eps

    def forward(self, x):
        dtype = x.dtype
        h = x.to(torch.float32)
        var = h.pow(2).mean(-1, keepdim=True)
        h = h * torch.rsqrt(var + self.variance_epsilon)
        return self.weight * h.to(dtype)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def scaled_inv_freq(inv_freq, scaling):
    """rope_scaling applied to the frequencies, as transformers'
    rope_init_functions compute it (in float32 tensors)."""
    kind = (scaling or {}).get("rope_type", (scaling or {}).get("type", "default"))
    if kind == "default":
        return inv_freq
    factor = scaling["factor"]
    if kind == "linear":
        return inv_freq / factor
    if kind != "llama3":
        raise ValueError("rope_scaling type %r" % kind)
    low, high = scaling["low_freq_factor"], scaling["high_freq_factor"]
    old = scaling["original_max_position_embeddings"]
    low_wavelen = old / low
    high_wavelen = old / high
    wavelen = 2 * math.pi / inv_freq
    inv_llama = torch.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
    smooth = (old / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * inv_llama / factor + smooth * inv_llama
    medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
    return torch.where(medium, smoothed, inv_llama)


def rope_tables(head_dim, theta, positions, scaling=None):
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64)
                                .float() / head_dim))
    inv_freq = scaled_inv_freq(inv_freq, scaling)
    freqs = torch.outer(positions.float(), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def head_dim_of(cfg):
    return cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]


def causal_mask(t, window=None):
    """-inf above the diagonal and, with a window, at or before i - window."""
    i = torch.arange(t).unsqueeze(1)
    j = torch.arange(t).unsqueeze(0)
    keep = j <= i
    if window:
        keep = keep & (j > i - window)
    return torch.zeros(t, t).masked_fill(~keep, float("-inf"))


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["hidden_size"]
        self.n_heads = cfg["num_attention_heads"]
        self.n_kv = cfg["num_key_value_heads"]
        self.head_dim = head_dim_of(cfg)
        bias = cfg.get("model_type", "llama") == "qwen2"
        self.q_proj = nn.Linear(d, self.n_heads * self.head_dim, bias=bias)
        self.k_proj = nn.Linear(d, self.n_kv * self.head_dim, bias=bias)
        self.v_proj = nn.Linear(d, self.n_kv * self.head_dim, bias=bias)
        self.o_proj = nn.Linear(self.n_heads * self.head_dim, d, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.n_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.n_kv, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.n_kv, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = self.n_heads // self.n_kv
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
        # mask + (q k^T) / sqrt(d) in one fused call: same value as the
        # separate matmul, scale and add, and much cheaper on the CPU.
        scores = torch.baddbmm(mask, q.reshape(b * self.n_heads, t, self.head_dim),
                               k.reshape(b * self.n_heads, t, self.head_dim).transpose(1, 2),
                               alpha=1.0 / math.sqrt(self.head_dim))
        probs = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.bmm(probs, v.reshape(b * self.n_heads, t, self.head_dim))
        out = out.view(b, self.n_heads, t, self.head_dim).transpose(1, 2).reshape(b, t, -1)
        return self.o_proj(out)


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, m = cfg["hidden_size"], cfg["intermediate_size"]
        self.gate_proj = nn.Linear(d, m, bias=False)
        self.up_proj = nn.Linear(d, m, bias=False)
        self.down_proj = nn.Linear(m, d, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        eps = cfg["rms_norm_eps"]
        self.self_attn = Attention(cfg)
        self.mlp = MLP(cfg)
        self.input_layernorm = RMSNorm(cfg["hidden_size"], eps)
        self.post_attention_layernorm = RMSNorm(cfg["hidden_size"], eps)

    def forward(self, x, cos, sin, mask):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask)
        return x + self.mlp(self.post_attention_layernorm(x))


class Backbone(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.layers = nn.ModuleList(DecoderLayer(cfg)
                                    for _ in range(cfg["num_hidden_layers"]))
        self.norm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])


class LlamaForCausalLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.model = Backbone(cfg)
        self.tied = cfg["tie_word_embeddings"]
        if not self.tied:
            self.lm_head = nn.Linear(cfg["hidden_size"], cfg["vocab_size"],
                                     bias=False)
        std = cfg.get("initializer_range", 0.02)
        for mod in self.modules():
            if isinstance(mod, (nn.Linear, nn.Embedding)):
                nn.init.normal_(mod.weight, mean=0.0, std=std)
            if isinstance(mod, nn.Linear) and mod.bias is not None:
                nn.init.normal_(mod.bias, mean=0.0, std=std)

    def forward(self, ids):
        _, t = ids.shape
        cfg = self.cfg
        x = self.model.embed_tokens(ids)
        # transformers casts the rotary tables (and the mask) to the
        # activations' dtype; a no-op in float32.
        cos, sin = rope_tables(head_dim_of(cfg), cfg.get("rope_theta", 10000.0),
                               torch.arange(t), cfg.get("rope_scaling"))
        cos, sin = cos.to(x.dtype), sin.to(x.dtype)
        window = cfg.get("sliding_window") if cfg.get("model_type", "llama") == "mistral" else None
        mask = causal_mask(t, window).to(x.dtype)
        for layer in self.model.layers:
            x = layer(x, cos, sin, mask)
        x = self.model.norm(x)
        if self.tied:
            return x @ self.model.embed_tokens.weight.t()
        return self.lm_head(x)

    def hf_state_dict(self):
        """Tensors under their Hugging Face names (no lm_head when tied)."""
        return {k: v.detach().contiguous() for k, v in self.state_dict().items()}


_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}
_FROM_DTYPE = {v: k for k, v in _DTYPES.items()}


def save_safetensors(path, tensors, metadata=None):
    """Write tensors in the safetensors layout: u64 header length, JSON header
    padded with spaces to 8 bytes, then the raw little-endian data."""
    header = {"__metadata__": dict(metadata or {"format": "pt"})}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        raw = t.view(torch.uint8).numpy().tobytes() if t.dtype != torch.float32 \
            else t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": _DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        buf = bytearray(data[base + start:base + end])
        dtype = _FROM_DTYPE[info["dtype"]]
        t = torch.frombuffer(buf, dtype=torch.uint8).view(dtype) if len(buf) else \
            torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"]).clone()
    return out


def load_weights(folder):
    """model.safetensors, or the shards model.safetensors.index.json names."""
    single = os.path.join(folder, "model.safetensors")
    if os.path.exists(single):
        return load_safetensors(single)
    with open(os.path.join(folder, "model.safetensors.index.json")) as f:
        weight_map = json.load(f)["weight_map"]
    out = {}
    for shard in sorted(set(weight_map.values())):
        for name, t in load_safetensors(os.path.join(folder, shard)).items():
            if weight_map.get(name) != shard or name in out:
                raise ValueError("%s: %s not indexed there" % (shard, name))
            out[name] = t
    if set(out) != set(weight_map):
        raise ValueError("index lists tensors the shards lack")
    return out


def save_sharded(folder, tensors, shards):
    """Split tensors (in name order) into `shards` files plus the index, as
    transformers' save_pretrained does for large checkpoints."""
    names = sorted(tensors)
    per = -(-len(names) // shards)
    weight_map = {}
    total = 0
    for k in range(shards):
        file = "model-%05d-of-%05d.safetensors" % (k + 1, shards)
        part = {n: tensors[n] for n in names[k * per:(k + 1) * per]}
        save_safetensors(os.path.join(folder, file), part)
        for n, t in part.items():
            weight_map[n] = file
            total += t.numel() * t.element_size()
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map},
                  f, indent=2, sort_keys=True)
        f.write("\n")


def load_folder(folder):
    """Build the model from config.json + its safetensors, as transformers
    would: names must match exactly, every parameter must be present.
    Half-precision weights are widened to float32, which is what the Go
    engine computes in."""
    with open(folder + "/config.json") as f:
        cfg = json.load(f)
    model = LlamaForCausalLM(cfg)
    tensors = load_weights(folder)
    tensors = {k: v.float() for k, v in tensors.items()}
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    if missing or unexpected:
        raise ValueError("checkpoint layout mismatch: missing %s unexpected %s"
                         % (missing, unexpected))
    model.eval()
    return cfg, model
