#!/usr/bin/env python3
"""What verification costs next to generation on a GPU.

A miner generates an answer token by token with a KV cache; a validator
checks it with one prefill over prompt plus answer (inference/verify). On the
built-in CPU engine that check costs a fifth to a quarter of generating, the
floor that a cache-resident model sets on two cores. This script measures the
same two things with Hugging Face transformers on the GPU machine, on the
shipped model, with warm-up and CUDA synchronisation, for:

  * one answer: greedy generation of ANSWER tokens after a task-length
    prompt, against one prefill of prompt + answer;
  * a task group: GROUP answers to prompts that differ in one line, generated
    one after another as GROUP miners would, against one batched prefill of
    all of them, as a GPU validator would check a group.

It prints one JSON object and writes it to OUT/gpu-verify-cost.json.

Usage (from the repository root, on the GPU machine):
    python3 scripts/model/gpu_verify_cost.py --out "$OUT"
"""

import argparse
import json
import os
import statistics
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# The shape of a validator task (validator/tasks): about 72 prompt tokens,
# 40 answer tokens, groups of 4 to 8 miners with one nonce line each.
TASK = ("package queue\n\ntype Queue struct {\n\titems []int\n\tlimit int\n}\n\n"
        "// Push appends v, dropping the oldest item when the queue is full.\n"
        "func (q *Queue) Push(v int) {\n\t")
ANSWER = 40
GROUP = 8


def timed(fn, sync, repeat):
    out, times = None, []
    for _ in range(repeat):
        sync()
        t0 = time.perf_counter()
        out = fn()
        sync()
        times.append(time.perf_counter() - t0)
    return out, statistics.median(times)


def greedy(model, ids, n):
    """Greedy decoding with a KV cache, one token per forward, as a miner serves."""
    with torch.no_grad():
        out = model(input_ids=ids, use_cache=True)
        past, row = out.past_key_values, out.logits[:, -1]
        toks = []
        for _ in range(n):
            tok = row.float().log_softmax(-1).argmax(-1, keepdim=True)
            toks.append(tok)
            out = model(input_ids=tok, past_key_values=past, use_cache=True)
            past, row = out.past_key_values, out.logits[:, -1]
        return torch.cat(toks, dim=1)


def prefill(model, ids):
    """One forward pass and the log-probabilities a verifier reads."""
    with torch.no_grad():
        return model(input_ids=ids).logits.float().log_softmax(-1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(ROOT, "models/gocode-tiny"))
    ap.add_argument("--out", default=".")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    from transformers import AutoTokenizer, LlamaForCausalLM
    device = "cuda" if torch.cuda.is_available() else "cpu"
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    tok = AutoTokenizer.from_pretrained(args.model)
    report = {"device": torch.cuda.get_device_name() if device == "cuda" else "cpu",
              "torch": torch.__version__, "answer_tokens": ANSWER, "group": GROUP, "runs": {}}
    for name, dtype, tf32 in [("float32", torch.float32, False), ("float32-tf32", torch.float32, True),
                              ("bfloat16", torch.bfloat16, False)]:
        torch.backends.cuda.matmul.allow_tf32 = tf32
        try:
            report["runs"][name] = measure(args, tok, LlamaForCausalLM, dtype, device, sync)
        except Exception as e:  # keep the other precisions
            report["runs"][name] = {"error": repr(e)}
        print(name, json.dumps(report["runs"][name]), flush=True)
    torch.backends.cuda.matmul.allow_tf32 = False
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "gpu-verify-cost.json"), "w") as f:
        json.dump(report, f, indent=1)
    print(json.dumps(report))


def measure(args, tok, LlamaForCausalLM, dtype, device, sync):
    """Times one precision: returns the figures of one answer and of a group."""
    model = LlamaForCausalLM.from_pretrained(args.model, torch_dtype=dtype).to(device).eval()
    prompt = torch.tensor([[tok.bos_token_id or 0] + tok.encode(TASK, add_special_tokens=False)], device=device)
    for _ in range(3):  # warm-up: kernels, allocator, cuBLAS handles
        answer = greedy(model, prompt, ANSWER)
        prefill(model, torch.cat([prompt, answer], dim=1))
    answer, gen_s = timed(lambda: greedy(model, prompt, ANSWER), sync, args.repeat)
    whole = torch.cat([prompt, answer], dim=1)
    _, ver_s = timed(lambda: prefill(model, whole), sync, args.repeat)
    # A task group: the same prompt with a different nonce line per miner
    # (equal lengths, so the batch needs no padding).
    lines = ["// nonce %08x\n" % (0x10000000 + i) for i in range(GROUP)]
    cut = TASK.rindex("func")
    group = [[tok.bos_token_id or 0] + tok.encode(TASK[:cut] + ln + TASK[cut:], add_special_tokens=False)
             for ln in lines]
    n = min(len(g) for g in group)
    group = torch.tensor([g[:n] for g in group], device=device)
    answers = torch.cat([greedy(model, group[i:i + 1], ANSWER) for i in range(GROUP)], dim=0)
    _, group_gen_s = timed(lambda: [greedy(model, group[i:i + 1], ANSWER) for i in range(GROUP)], sync,
                           max(3, args.repeat // 4))
    batch = torch.cat([group, answers], dim=1)
    _, group_ver_s = timed(lambda: prefill(model, batch), sync, args.repeat)
    r = {"prompt_tokens": int(prompt.shape[1]),
         "one_answer": {"generate_ms": gen_s * 1e3, "verify_ms": ver_s * 1e3, "verify/generate": ver_s / gen_s},
         "group": {"generate_ms_per_answer": group_gen_s * 1e3 / GROUP,
                   "verify_ms_per_answer": group_ver_s * 1e3 / GROUP,
                   "verify/generate": group_ver_s / group_gen_s}}
    return r


if __name__ == "__main__":
    main()
