#!/usr/bin/python3
"""Write golden fixtures for the Go engine and tokenizer from the PyTorch
reference.

The model is rebuilt only from the folder's files (config.json,
model.safetensors with Hugging Face tensor names, tokenizer.json), which also
checks that the folder holds everything LlamaForCausalLM needs under the
names it expects.

Usage:
    /usr/bin/python3 scripts/model/golden.py --model models/gocode-tiny \
        --out inference/llama/testdata/golden.json \
        --tokenizer-out inference/tokenizer/testdata/golden.json
"""

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import llama  # noqa: E402

PROMPTS = [
    "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.",
    "func (b *Buffer) Write(p []byte) (n int, err error) {\n",
    "// Copyright 2009 The Go Authors. All rights reserved.\n",
    "\tfor i := 0; i < len(s); i++ {\n\t\tif s[i] == ",
    # Longer than one 32-token prefill chunk of the Go engine.
    "// Package strings implements simple functions to manipulate UTF-8 encoded strings.\n"
    "package strings\n\nimport (\n\t\"internal/bytealg\"\n\t\"unicode/utf8\"\n)\n\n"
    "// Count counts the number of non-overlapping instances of substr in s.\n"
    "func Count(s, substr string) int {\n\tif len(substr) == 0 {\n\t\treturn ",
]

TOKENIZER_CASES = [
    "package main\n\nfunc main() {\n\tprintln(\"hello, 世界\")\n}\n",
    "x := []int{1, 2, 3}\n\t\t// it's a test, isn't it? they'll see\n",
    "   leading  and trailing spaces   ",
    "\n\n\n\t\t\tdeep\r\n\r\nwindows",
    "Ünïcödé wörds ١٢٣ ²³ ½ Ⅻ 𝔘𝔫𝔦 🙂🙂 e\u0301",
    "\u3000ideographic\u00a0nbsp\u2028line\u0085nel\x0bvt\x1cfs",
    "tokens<|end_of_text|>inside<|begin_of_text|>text",
    "'s'S'll'LL'd 'm 've're't",
    "0x1F_ff 3.14e-10 1_000_000 ++--==!=<=>=&&||<<>>&^",
    "",
]

GREEDY_STEPS = 16


def logits_of(model, ids):
    with torch.no_grad():
        return model(torch.tensor([ids], dtype=torch.int64))[0]


def golden_model(folder, prompts):
    cfg, model = llama.load_folder(folder)
    tok = bpe.load_tokenizer_json(os.path.join(folder, "tokenizer.json"))
    eos = cfg["eos_token_id"]
    eos_ids = set(eos if isinstance(eos, list) else [eos])
    cases = []
    for prompt in prompts:
        ids = tok.encode(prompt, add_bos=True)
        logits = logits_of(model, ids)
        lp = torch.log_softmax(logits.double(), dim=-1)
        prompt_lp = [lp[i, ids[i + 1]].item() for i in range(len(ids) - 1)]
        greedy, greedy_lp = [], []
        seq = list(ids)
        last = logits[-1]
        for _ in range(GREEDY_STEPS):
            step_lp = torch.log_softmax(last.double(), dim=-1)
            nxt = int(torch.argmax(last).item())
            greedy.append(nxt)
            greedy_lp.append(step_lp[nxt].item())
            if nxt in eos_ids:
                break
            seq.append(nxt)
            last = logits_of(model, seq)[-1]
        cases.append({
            "prompt": prompt,
            "ids": ids,
            "last_logits": [round(v, 6) for v in logits[-1].tolist()],
            "prompt_logprobs": [round(v, 7) for v in prompt_lp],
            "greedy_ids": greedy,
            "greedy_logprobs": [round(v, 7) for v in greedy_lp],
            "greedy_text": tok.decode(greedy),
        })
    return {"model": os.path.basename(os.path.normpath(folder)),
            "torch_version": torch.__version__, "dtype": "float32",
            "cases": cases}


def golden_tokenizer(folder):
    tok = bpe.load_tokenizer_json(os.path.join(folder, "tokenizer.json"))
    return {"cases": [{"text": t, "ids": tok.encode(t)} for t in TOKENIZER_CASES]}


def write(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote", path)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--prompts", type=int, default=len(PROMPTS))
    p.add_argument("--tokenizer-out", default="")
    a = p.parse_args()
    torch.set_num_threads(1)
    write(a.out, golden_model(a.model, PROMPTS[:a.prompts]))
    if a.tokenizer_out:
        write(a.tokenizer_out, golden_tokenizer(a.model))


if __name__ == "__main__":
    main()
