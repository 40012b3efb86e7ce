#!/usr/bin/python3
"""Measure how far log-probabilities move when the model runs in lower
precision, to set the verifier's tolerances (inference/verify).

GPU servers often run a float32 checkpoint in float16 or bfloat16 (vLLM's
dtype "auto" does so). No GPU is available here, so this emulates it on the
CPU: the same weights and activations rounded to bfloat16 / float16, compared
with float32, over the golden prompts and their greedy continuations.

Usage:
    /usr/bin/python3 scripts/model/drift.py --model models/gocode-tiny
"""

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import golden  # noqa: E402
import llama  # noqa: E402


def logprobs(model, ids, dtype):
    m = model.to(dtype)
    with torch.no_grad():
        out = m(torch.tensor([ids]))[0].float()
    model.to(torch.float32)
    return torch.log_softmax(out.double(), dim=-1)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    a = p.parse_args()
    torch.set_num_threads(1)
    _, model = llama.load_folder(a.model)
    tok = bpe.load_tokenizer_json(os.path.join(a.model, "tokenizer.json"))
    report = {}
    # float16 matmuls have no CPU kernel in torch 1.13; bfloat16, with fewer
    # mantissa bits, bounds what float16 serving would do.
    for name, dtype in (("bfloat16", torch.bfloat16),):
        worst, flips, positions, total = 0.0, 0, 0, 0.0
        try:
            for prompt in golden.PROMPTS:
                ids = tok.encode(prompt, add_bos=True)
                ref = logprobs(model, ids, torch.float32)
                low = logprobs(model, ids, dtype)
                nxt = torch.tensor(ids[1:])
                rows = torch.arange(len(ids) - 1)
                d = (ref[rows, nxt] - low[rows, nxt]).abs()
                worst = max(worst, d.max().item())
                total += d.sum().item()
                positions += len(ids) - 1
                flips += (ref.argmax(-1) != low.argmax(-1)).sum().item()
        except RuntimeError as e:  # an op without a CPU kernel for this dtype
            report[name] = {"error": str(e).splitlines()[0]}
            continue
        report[name] = {"max_abs_logprob_drift": round(worst, 5),
                        "mean_abs_logprob_drift": round(total / positions, 5),
                        "argmax_flips": flips, "positions": positions}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
