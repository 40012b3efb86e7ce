#!/usr/bin/python3
"""Train Mindnet's built-in Go code model and write it as a Hugging Face folder.

Data: every non-test .go file of the local Go installation's standard library
($(go env GOROOT)/src), leaving out cmd/ (the toolchain), vendor/ and testdata/.
The sorted file list, its SHA-256 and the Go version are written to the
folder's data.json so that a run can be reproduced on the same Go release.

Usage (CPU, about 20 minutes on two cores for the default settings):
    /usr/bin/python3 scripts/model/train.py --out models/gocode-tiny
Needs only Debian's python3-torch; the tokenizer and safetensors code is ours
(bpe.py, llama.py).
"""

import argparse
import hashlib
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import llama  # noqa: E402


def go_env(name):
    return subprocess.check_output(["go", "env", name], text=True).strip()


def corpus_files(root):
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        parts = rel.split(os.sep)
        if parts[0] == "cmd" or "testdata" in parts or "vendor" in parts:
            dirnames[:] = []
            continue
        dirnames.sort()
        for fn in sorted(filenames):
            if fn.endswith(".go") and not fn.endswith("_test.go"):
                files.append(os.path.normpath(os.path.join(rel, fn)))
    files.sort()
    return files


def read_corpus(root, files):
    texts = []
    h = hashlib.sha256()
    for rel in files:
        with open(os.path.join(root, rel), "rb") as f:
            raw = f.read()
        h.update(rel.encode() + b"\0" + hashlib.sha256(raw).digest())
        texts.append(raw.decode("utf-8", errors="replace"))
    return texts, h.hexdigest()


def build_stream(tok, texts):
    eos = tok.special[bpe.EOS]
    ids = []
    for t in texts:
        ids.extend(tok.encode(t))
        ids.append(eos)
    return torch.tensor(ids, dtype=torch.int64)


def batch(stream, rng, bsz, seq, bos):
    starts = [rng.randrange(0, len(stream) - seq) for _ in range(bsz)]
    x = torch.empty(bsz, seq, dtype=torch.int64)
    y = torch.empty(bsz, seq, dtype=torch.int64)
    for i, s in enumerate(starts):
        window = stream[s:s + seq]
        x[i, 0] = bos
        x[i, 1:] = window[:-1]
        y[i] = window
    return x, y


def lr_at(step, total, peak, warmup):
    if step < warmup:
        return peak * (step + 1) / warmup
    frac = (step - warmup) / max(1, total - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))


def evaluate(model, stream, seq, bos, n=16):
    rng = random.Random(1234)
    model.eval()
    with torch.no_grad():
        x, y = batch(stream, rng, n, seq, bos)
        loss = F.cross_entropy(model(x).reshape(-1, model.cfg["vocab_size"]),
                               y.reshape(-1)).item()
    model.train()
    return loss


def hf_config(a, vocab_size, bos_id, eos_id, dtype):
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "vocab_size": vocab_size,
        "hidden_size": a.hidden,
        "intermediate_size": a.intermediate,
        "num_hidden_layers": a.layers,
        "num_attention_heads": a.heads,
        "num_key_value_heads": a.kv_heads,
        "head_dim": a.hidden // a.heads,
        "hidden_act": "silu",
        "max_position_embeddings": a.seq,
        "initializer_range": 0.02,
        "rms_norm_eps": 1e-5,
        "rope_theta": a.rope_theta,
        "rope_scaling": None,
        "attention_bias": False,
        "attention_dropout": 0.0,
        "mlp_bias": False,
        "pretraining_tp": 1,
        "tie_word_embeddings": True,
        "use_cache": True,
        "bos_token_id": bos_id,
        "eos_token_id": eos_id,
        "torch_dtype": dtype,
        "transformers_version": "4.44.0",
    }


def write_folder(out, a, cfg, model, tok, manifest, dtype):
    os.makedirs(out, exist_ok=True)
    tensors = model.hf_state_dict()
    if dtype == "float16":
        tensors = {k: v.half() for k, v in tensors.items()}
    llama.save_safetensors(os.path.join(out, "model.safetensors"), tensors)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(bpe.tokenizer_json(tok.vocab, tok.merges), f,
                  ensure_ascii=False)
    special = {str(tok.special[t]): {
        "content": t, "lstrip": False, "normalized": False, "rstrip": False,
        "single_word": False, "special": True} for t in bpe.SPECIAL_TOKENS}
    with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
        json.dump({"added_tokens_decoder": special, "bos_token": bpe.BOS,
                   "eos_token": bpe.EOS, "add_bos_token": True,
                   "add_eos_token": False,
                   "clean_up_tokenization_spaces": False,
                   "model_max_length": a.seq,
                   "tokenizer_class": "PreTrainedTokenizerFast"}, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "special_tokens_map.json"), "w") as f:
        json.dump({"bos_token": bpe.BOS, "eos_token": bpe.EOS}, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "generation_config.json"), "w") as f:
        json.dump({"bos_token_id": cfg["bos_token_id"],
                   "eos_token_id": cfg["eos_token_id"], "do_sample": False,
                   "max_new_tokens": 64,
                   "transformers_version": "4.44.0"}, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "data.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


MODEL_CARD = """---
license: bsd-3-clause
library_name: transformers
pipeline_tag: text-generation
tags: [llama, go, code, mindnet]
---

# {name}

A tiny Llama-architecture language model for Go code completion, trained from
scratch by Mindnet's `scripts/model/train.py` on the Go standard library's
source code. It ships inside every Mindnet binary (the built-in CPU engine) and
is the default task of a fresh subnet. It loads unchanged with
`AutoModelForCausalLM` / `AutoTokenizer` and can be served by vLLM or SGLang.

It is a demonstration-sized model: it writes plausible-looking Go (keywords,
indentation, identifiers and idioms of the standard library), not correct
programs.

## Architecture

| setting | value |
| --- | --- |
| architecture | LlamaForCausalLM (RMSNorm, RoPE, grouped-query attention, SwiGLU) |
| parameters | {parameters:,} |
| layers / hidden / intermediate | {num_hidden_layers} / {hidden_size} / {intermediate_size} |
| attention heads / key-value heads / head dim | {num_attention_heads} / {num_key_value_heads} / {head_dim} |
| vocabulary | {vocab_size} (byte-level BPE, BOS `<|begin_of_text|>` = {bos_token_id}, EOS `<|end_of_text|>` = {eos_token_id}) |
| context | {max_position_embeddings} tokens, rope_theta {rope_theta} |
| embeddings | tied (no lm_head.weight) |
| weights | {torch_dtype}, {weight_bytes:,} bytes |

## Training data

Every `*.go` file of the Go standard library of **{go_version}**
(`$GOROOT/src`), excluding `*_test.go` and anything under `cmd/`, `testdata/`
or `vendor/`: {corpus_files} files. SHA-256 over the sorted list of
(path, SHA-256 of content): `{corpus_sha256}`. 2% of the files were held out
for validation ({validation_tokens:,} tokens); training saw
{seen_tokens:,} tokens drawn at random from {train_tokens:,}.

## Training

AdamW (betas 0.9/0.95, weight decay 0.1 on matrices), peak learning rate
{lr}, {warmup} warm-up steps then cosine decay to 10%, batch {batch} x {seq}
tokens, {steps} steps, gradient clipping 1.0, seed {seed}, float32 on {threads}
CPU threads (PyTorch {torch_version}), {training_seconds} s of training.
{stages_note}
| | loss (nats/token) |
| --- | --- |
| final training loss (EMA) | {final_train_loss_ema} |
| final validation loss | {final_validation_loss} |

`data.json` beside this card holds the full settings, the held-out file list
and the loss curve. To reproduce, see `scripts/model/README.md`.

## Licence

The training data is the Go source code, which is distributed under the BSD
3-clause licence reproduced in `LICENSE-GO`:

    Copyright 2009 The Go Authors.

The model weights are released under the same terms.
"""


def write_model_card(out):
    """Write README.md (the model card) from config.json and data.json."""
    with open(os.path.join(out, "config.json")) as f:
        cfg = json.load(f)
    with open(os.path.join(out, "data.json")) as f:
        man = json.load(f)
    st = man["settings"]
    fields = dict(cfg)
    fields.update(st)
    fields.update({k: v for k, v in man.items() if k != "settings"})
    fields["name"] = os.path.basename(os.path.normpath(out))
    fields["weight_bytes"] = os.path.getsize(os.path.join(out, "model.safetensors"))
    fields["seen_tokens"] = man.get("total_tokens_seen", st["steps"] * st["batch"] * st["seq"])
    fields["stages_note"] = ""
    prev = man.get("previous_stage")
    if prev:
        ps = prev["settings"]
        fields["stages_note"] = (
            "\nThis run continued an earlier one ({} steps at peak learning rate {}, "
            "seed {}, same data and batch; final training loss {}, validation loss {}), "
            "{} steps in all.\n".format(ps["steps"], ps["lr"], ps["seed"],
                                        prev["final_train_loss_ema"],
                                        prev["final_validation_loss"], man["total_steps"]))
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(MODEL_CARD.format(**fields))
    shutil.copyfile(os.path.join(go_env("GOROOT"), "LICENSE"), os.path.join(out, "LICENSE-GO"))


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--vocab", type=int, default=2048)
    p.add_argument("--bpe-bytes", type=int, default=6_000_000,
                   help="characters of the corpus sampled to learn merges")
    p.add_argument("--tokenizer-from", default="",
                   help="reuse tokenizer.json from this folder instead of training one")
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--intermediate", type=int, default=384)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--kv-heads", type=int, default=2)
    p.add_argument("--rope-theta", type=float, default=10000.0)
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--dtype", choices=["float32", "float16"], default="float32")
    p.add_argument("--init-from", default="",
                   help="continue training the model in this folder (its tokenizer "
                        "and shape are kept; its data.json is recorded as stage 1)")
    p.add_argument("--card-only", action="store_true",
                   help="only (re)write README.md and LICENSE-GO of --out")
    p.add_argument("--bench", action="store_true",
                   help="time 10 steps and exit without writing anything")
    a = p.parse_args()
    if a.card_only:
        write_model_card(a.out)
        return

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    t0 = time.time()

    root = os.path.join(go_env("GOROOT"), "src")
    files = corpus_files(root)
    texts, corpus_sha = read_corpus(root, files)
    order = list(range(len(files)))
    random.Random(0).shuffle(order)
    held = set(order[:len(order) // 50])  # 2% of files for validation loss
    print("corpus: %d files, %d chars, sha256 %s" % (
        len(files), sum(map(len, texts)), corpus_sha), flush=True)

    previous = None
    if a.init_from:
        a.tokenizer_from = a.init_from
        with open(os.path.join(a.init_from, "data.json")) as f:
            previous = json.load(f)
        prev_cfg = json.load(open(os.path.join(a.init_from, "config.json")))
        a.hidden, a.intermediate = prev_cfg["hidden_size"], prev_cfg["intermediate_size"]
        a.layers, a.heads = prev_cfg["num_hidden_layers"], prev_cfg["num_attention_heads"]
        a.kv_heads, a.seq = prev_cfg["num_key_value_heads"], prev_cfg["max_position_embeddings"]
        a.rope_theta = prev_cfg["rope_theta"]
    if a.tokenizer_from:
        tok = bpe.load_tokenizer_json(os.path.join(a.tokenizer_from, "tokenizer.json"))
    else:
        sample, n = [], 0
        for i in order[len(held):]:
            if n >= a.bpe_bytes:
                break
            sample.append(texts[i])
            n += len(texts[i])
        vocab, merges = bpe.train(sample, a.vocab)
        tok = bpe.Tokenizer(vocab, merges)
        # The ASCII fast path and the hand-written split must agree.
        for t in sample[:50]:
            assert bpe.split_words_slow(t) == bpe.split_words(t)
    print("tokenizer: %d tokens (%.0fs)" % (len(tok.vocab), time.time() - t0),
          flush=True)

    train_stream = build_stream(tok, [texts[i] for i in range(len(texts)) if i not in held])
    val_stream = build_stream(tok, [texts[i] for i in sorted(held)])
    chars = sum(len(texts[i]) for i in range(len(texts)) if i not in held)
    print("tokens: train %d (%.2f chars/token), val %d (%.0fs)" % (
        len(train_stream), chars / len(train_stream), len(val_stream),
        time.time() - t0), flush=True)

    bos_id, eos_id = tok.special[bpe.BOS], tok.special[bpe.EOS]
    cfg = hf_config(a, len(tok.vocab), bos_id, eos_id, a.dtype)
    model = llama.LlamaForCausalLM(cfg)
    if a.init_from:
        _, start = llama.load_folder(a.init_from)
        model.load_state_dict(start.state_dict())
        model.train()
    nparams = sum(p.numel() for p in model.parameters())
    print("model: %d parameters" % nparams, flush=True)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.95))
    steps = 10 if a.bench else a.steps
    log = []
    t_train = time.time()
    loss_ema = None
    for step in range(steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step, steps, a.lr, a.warmup)
        x, y = batch(train_stream, rng, a.batch, a.seq, bos_id)
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, cfg["vocab_size"]), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        lv = loss.item()
        loss_ema = lv if loss_ema is None else 0.98 * loss_ema + 0.02 * lv
        if step % 100 == 0 or step == steps - 1:
            el = time.time() - t_train
            print("step %d loss %.4f ema %.4f lr %.5f %.1f tok/s" % (
                step, lv, loss_ema, opt.param_groups[0]["lr"],
                (step + 1) * a.batch * a.seq / el), flush=True)
            log.append({"step": step, "loss": round(lv, 4)})
    if a.bench:
        el = time.time() - t_train
        print("bench: %.3fs/step, %.0f tokens/s" % (el / steps,
              steps * a.batch * a.seq / el))
        return
    val = evaluate(model, val_stream, a.seq, bos_id)
    print("final: train loss ema %.4f, validation loss %.4f (%.0fs)" % (
        loss_ema, val, time.time() - t0), flush=True)

    manifest = {
        "go_version": go_env("GOVERSION"),
        "corpus_root": "$GOROOT/src",
        "corpus_rule": "*.go, not *_test.go, not under cmd/, testdata/ or vendor/",
        "corpus_files": len(files),
        "corpus_sha256": corpus_sha,
        "corpus_sha256_rule": "sha256 over sorted files of path + NUL + sha256(content)",
        "validation_files": sorted(files[i] for i in held),
        "train_tokens": len(train_stream),
        "validation_tokens": len(val_stream),
        "settings": vars(a),
        "parameters": nparams,
        "final_train_loss_ema": round(loss_ema, 4),
        "final_validation_loss": round(val, 4),
        "training_seconds": round(time.time() - t_train),
        "torch_version": torch.__version__,
        "loss_log": log,
    }
    if previous is not None:
        # Continued training: keep stage 1's record, and count its steps.
        manifest["previous_stage"] = previous
        prev_st = previous["settings"]
        manifest["total_steps"] = a.steps + previous.get("total_steps", prev_st["steps"])
        manifest["total_tokens_seen"] = a.steps * a.batch * a.seq + previous.get(
            "total_tokens_seen", prev_st["steps"] * prev_st["batch"] * prev_st["seq"])
    write_folder(a.out, a, cfg, model, tok, manifest, a.dtype)
    write_model_card(a.out)
    print("wrote %s" % a.out, flush=True)


if __name__ == "__main__":
    main()
