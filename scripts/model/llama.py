"""A Llama decoder in PyTorch that computes what transformers' LlamaForCausalLM
computes, plus a safetensors writer and reader.

The image has neither `transformers` nor `safetensors`, so both are written
here. The math follows modeling_llama.py (transformers 4.4x):

* LlamaRMSNorm: upcast to float32, x * rsqrt(mean(x^2) + eps), cast back,
  then multiply by the weight;
* rotary embeddings with the rotate_half convention: inv_freq =
  1/theta^(2i/d), cos/sin over cat(freqs, freqs), q*cos + rotate_half(q)*sin
  where rotate_half(x) = cat(-x[d/2:], x[:d/2]);
* attention without biases, keys/values repeated for grouped-query attention,
  scores scaled by 1/sqrt(head_dim), softmax in float32;
* MLP down(silu(gate(x)) * up(x)) without biases;
* lm_head tied to embed_tokens when tie_word_embeddings is true, in which case
  transformers does not store lm_head.weight.

Parameter names equal the Hugging Face names, so state_dict() is the
checkpoint layout.
"""

import json
import math
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


def rope_tables(head_dim, theta, positions):
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64)
                                .float() / head_dim))
    freqs = torch.outer(positions.float(), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["hidden_size"]
        self.n_heads = cfg["num_attention_heads"]
        self.n_kv = cfg["num_key_value_heads"]
        self.head_dim = d // self.n_heads
        self.q_proj = nn.Linear(d, self.n_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(d, self.n_kv * self.head_dim, bias=False)
        self.v_proj = nn.Linear(d, self.n_kv * self.head_dim, bias=False)
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

    def forward(self, ids):
        _, t = ids.shape
        cfg = self.cfg
        head_dim = cfg["hidden_size"] // cfg["num_attention_heads"]
        x = self.model.embed_tokens(ids)
        # transformers casts the rotary tables (and the mask) to the
        # activations' dtype; a no-op in float32.
        cos, sin = rope_tables(head_dim, cfg["rope_theta"], torch.arange(t))
        cos, sin = cos.to(x.dtype), sin.to(x.dtype)
        mask = torch.full((t, t), float("-inf")).triu(1).to(x.dtype)
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


def load_folder(folder):
    """Build the model from config.json + model.safetensors, as transformers
    would: names must match exactly, every parameter must be present."""
    with open(folder + "/config.json") as f:
        cfg = json.load(f)
    model = LlamaForCausalLM(cfg)
    tensors = load_safetensors(folder + "/model.safetensors")
    tensors = {k: v.float() for k, v in tensors.items()}
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    if missing or unexpected:
        raise ValueError("checkpoint layout mismatch: missing %s unexpected %s"
                         % (missing, unexpected))
    model.eval()
    return cfg, model
