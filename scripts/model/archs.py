#!/usr/bin/python3
"""Write one small random-weight checkpoint per architecture feature the Go
engine supports, with golden logits from llama.py, for
inference/llama/arch_test.go.

Each folder is a Hugging Face model folder (config.json, tokenizer.json,
weights) as transformers would save it:

  llama3   LlamaForCausalLM, rope_scaling type llama3, untied lm_head,
           head_dim 12 (not hidden/heads = 8), grouped-query attention,
           max_position_embeddings 131072, float32, sharded in two files
           with model.safetensors.index.json
  qwen2    Qwen2ForCausalLM, q/k/v biases, tied embeddings, rope_theta 1e6,
           bfloat16
  mistral  MistralForCausalLM, sliding_window 5 (every case is longer),
           untied, float16

Half-precision checkpoints are written from float32 weights rounded to that
precision; the reference runs on the stored weights widened back to float32,
which is what the Go engine loads. Weights are drawn with a standard
deviation of 0.25 (norm weights around 1), large enough that attention is
far from uniform and the logits spread over several units, so a wrong step
shows up well above the 1e-4 tolerance.

Usage (Debian's python3-torch):
    /usr/bin/python3 scripts/model/archs.py --out inference/llama/testdata/arch
"""

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import llama  # noqa: E402

BASE = {
    "vocab_size": 300, "hidden_size": 32, "intermediate_size": 64,
    "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
    "hidden_act": "silu", "rms_norm_eps": 1e-5, "initializer_range": 0.25,
    "bos_token_id": 0, "eos_token_id": 1, "attention_dropout": 0.0,
    "use_cache": True, "transformers_version": "4.46.0",
}

ARCHS = {
    "llama3": dict(BASE, **{
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "head_dim": 12, "max_position_embeddings": 131072, "rope_theta": 500000.0,
        "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                         "high_freq_factor": 4.0, "original_max_position_embeddings": 64},
        "tie_word_embeddings": False, "attention_bias": False, "mlp_bias": False,
        "pretraining_tp": 1, "torch_dtype": "float32", "eos_token_id": [1, 2],
    }),
    "qwen2": dict(BASE, **{
        "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2",
        "max_position_embeddings": 4096, "rope_theta": 1000000.0, "rope_scaling": None,
        "tie_word_embeddings": True, "use_sliding_window": False, "sliding_window": 4096,
        "max_window_layers": 2, "torch_dtype": "bfloat16",
    }),
    "mistral": dict(BASE, **{
        "architectures": ["MistralForCausalLM"], "model_type": "mistral",
        "head_dim": None, "max_position_embeddings": 2048, "rope_theta": 10000.0,
        "sliding_window": 5, "tie_word_embeddings": False, "torch_dtype": "float16",
    }),
}

STORAGE = {"llama3": torch.float32, "qwen2": torch.bfloat16, "mistral": torch.float16}
SHARDS = {"llama3": 2}
LENGTHS = [6, 17, 150]  # 150 crosses the Go engine's 128-token prefill chunk
GREEDY_STEPS = 8


def random_model(cfg, seed):
    torch.manual_seed(seed)
    model = llama.LlamaForCausalLM(cfg)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1 + 0.1 * torch.randn_like(p))
    return model


def logits_of(model, ids):
    with torch.no_grad():
        return model(torch.tensor([ids], dtype=torch.int64))[0]


def golden(name, model, vocab, seed):
    g = torch.Generator().manual_seed(seed)
    cases = []
    for n in LENGTHS:
        # BOS, then ids that avoid the two EOS-like tokens.
        ids = [0] + (torch.randint(3, vocab, (n - 1,), generator=g)).tolist()
        logits = logits_of(model, ids)
        lp = torch.log_softmax(logits.double(), dim=-1)
        seq, greedy, greedy_lp = list(ids), [], []
        last = logits[-1]
        for _ in range(GREEDY_STEPS):
            step = torch.log_softmax(last.double(), dim=-1)
            nxt = int(torch.argmax(last).item())
            greedy.append(nxt)
            greedy_lp.append(step[nxt].item())
            seq.append(nxt)
            last = logits_of(model, seq)[-1]
        cases.append({
            "ids": ids,
            "last_logits": [round(v, 6) for v in logits[-1].tolist()],
            "prompt_logprobs": [round(lp[i, ids[i + 1]].item(), 7) for i in range(len(ids) - 1)],
            "greedy_ids": greedy,
            "greedy_logprobs": [round(v, 7) for v in greedy_lp],
        })
    return {"model": name, "torch_version": torch.__version__,
            "dtype": str(STORAGE[name]).replace("torch.", ""), "cases": cases}


def write_folder(out, name, seed):
    cfg = ARCHS[name]
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        os.remove(os.path.join(folder, old))
    model = random_model(cfg, seed)
    tensors = {k: v.to(STORAGE[name]) for k, v in model.hf_state_dict().items()}
    if SHARDS.get(name, 1) > 1:
        llama.save_sharded(folder, tensors, SHARDS[name])
    else:
        llama.save_safetensors(os.path.join(folder, "model.safetensors"), tensors)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    vocab = {t: i for i, t in enumerate(bpe.SPECIAL_TOKENS)}
    for b in range(256):
        vocab[bpe.BYTE_TO_CHAR[b]] = len(vocab)
    with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(bpe.tokenizer_json(vocab, []), f, ensure_ascii=False)
        f.write("\n")
    # The reference reads the folder back, as the Go engine will.
    _, loaded = llama.load_folder(folder)
    doc = golden(name, loaded, cfg["vocab_size"], seed + 1)
    with open(os.path.join(out, name + ".golden.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("wrote", folder)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    torch.set_num_threads(1)
    for i, name in enumerate(sorted(ARCHS)):
        write_folder(a.out, name, 100 + 10 * i)


if __name__ == "__main__":
    main()
