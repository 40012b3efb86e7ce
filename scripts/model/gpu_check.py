#!/usr/bin/env python3
"""GPU check: run the shipped model with Hugging Face transformers
on a GPU and compare it with the built-in Go engine.

The Go side (prompts, token ids, greedy continuations and their
log-probabilities) is precomputed and committed as
inference/verify/testdata/gpu-check-go.json by

    go test ./inference/verify -run TestGPUCheckGoSide -update

so that the GPU machine needs no Go toolchain. For each dtype (float32,
float32 with TF32 matmuls, bfloat16, float16) this script

  * scores the Go engine's greedy sequence by one prefill and compares the
    per-token log-probabilities with the Go engine's (the drift a verifier
    sees between the two engines on identical tokens);
  * greedy-generates 64 tokens with a KV cache, records the log-probability
    of each chosen token as a GPU miner would report it, and counts how many
    tokens agree with the Go engine's greedy choice;
  * rescores its own greedy output by prefill (the GPU's own decode vs
    prefill drift).

It also checks that AutoTokenizer gives the Go tokenizer's ids for every
prompt, and runs vLLM the same way if vLLM is installed (nothing is
installed). Results go to OUT/gpu-check.json, rewritten after each step so a
cut-off run still leaves what it measured. Raw per-token figures are kept:
the Go test TestGPUAnswersPassVerifier replays the GPU answers through the
verifier.

Usage (on the GPU machine, from the repository root):
    python3 scripts/model/gpu_check.py --out "$OUT"
Locally, without transformers, --backend local runs scripts/model/llama.py
on the CPU (no KV cache) to test the script itself.
"""

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
import traceback

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_SIDE = os.path.join(ROOT, "inference/verify/testdata/gpu-check-go.json")
DEFAULT_MODEL = os.path.join(ROOT, "models/gocode-tiny")

START = time.time()


def log(*args):
    print("[%6.1fs]" % (time.time() - START), *args, file=sys.stderr, flush=True)


def stats(diffs):
    if not diffs:
        return {"max_abs_diff": None, "mean_abs_diff": None, "positions": 0}
    return {"max_abs_diff": max(diffs), "mean_abs_diff": sum(diffs) / len(diffs),
            "positions": len(diffs)}


class Runner:
    """One model in one dtype; logprobs come back as float64 rows computed
    from the logits widened to float32 and then float64, as servers widen
    logits before their log-softmax."""

    def __init__(self, model, device, use_cache):
        self.model = model
        self.device = device
        self.use_cache = use_cache

    def _logits(self, ids, past=None):
        t = torch.tensor([ids], device=self.device)
        if self.use_cache:
            out = self.model(input_ids=t, past_key_values=past, use_cache=True)
            return out.logits[0], out.past_key_values
        return self.model(t)[0], None

    def prefill(self, ids):
        with torch.no_grad():
            logits, _ = self._logits(ids)
            return logits.float().double().log_softmax(-1).cpu()

    def greedy(self, prompt_ids, max_tokens, eos):
        ids, lps, finish = [], [], "length"
        with torch.no_grad():
            logits, past = self._logits(prompt_ids)
            row = logits[-1]
            while True:
                lp = row.float().double().log_softmax(-1)
                tok = int(torch.argmax(lp).item())
                ids.append(tok)
                lps.append(float(lp[tok].item()))
                if tok == eos:
                    finish = "eos"
                    break
                if len(ids) == max_tokens:
                    break
                if self.use_cache:
                    logits, past = self._logits([tok], past)
                else:
                    logits, _ = self._logits(prompt_ids + ids)
                row = logits[-1]
        return ids, lps, finish


def continuation_logprobs(rows, prompt_ids, cont):
    first = len(prompt_ids) - 1
    return [float(rows[first + j, tok]) for j, tok in enumerate(cont)]


def check_runner(runner, side, eos, sync):
    """Everything measured for one engine and dtype."""
    res = {"prompts": []}
    score_diffs, self_diffs = [], []
    argmax_agree = argmax_total = 0
    agree_prompts = agree_tokens = total_tokens = 0
    first_div = []
    gen_time = pre_time = 0.0
    gen_tokens = pre_tokens = 0
    for p in side["prompts"]:
        pid, go_ids, go_lps = p["prompt_ids"], p["greedy_ids"], p["logprobs"]
        # 1. The Go engine's tokens, scored by prefill here.
        sync()
        t0 = time.time()
        rows = runner.prefill(pid + go_ids)
        sync()
        pre_time += time.time() - t0
        pre_tokens += len(pid) + len(go_ids)
        scored = continuation_logprobs(rows, pid, go_ids)
        score_diffs += [abs(a - b) for a, b in zip(scored, go_lps)]
        first = len(pid) - 1
        for j, tok in enumerate(go_ids):
            argmax_total += 1
            argmax_agree += int(int(rows[first + j].argmax()) == tok)
        # 2. Greedy generation with a KV cache, as a miner serves.
        sync()
        t0 = time.time()
        ids, lps, finish = runner.greedy(pid, side["max_tokens"], eos)
        sync()
        gen_time += time.time() - t0
        gen_tokens += len(ids)
        n = 0
        while n < min(len(ids), len(go_ids)) and ids[n] == go_ids[n]:
            n += 1
        agree_tokens += n
        total_tokens += len(go_ids)
        agree_prompts += int(ids == go_ids)
        first_div.append(None if ids == go_ids else n)
        # 3. Its own output rescored by prefill.
        own = continuation_logprobs(runner.prefill(pid + ids), pid, ids)
        self_diffs += [abs(a - b) for a, b in zip(own, lps)]
        res["prompts"].append({"greedy_ids": ids, "greedy_logprobs": lps, "finish": finish,
                               "go_tokens_logprobs": scored})
    res["score_go_tokens_vs_go"] = stats(score_diffs)
    res["score_go_tokens_vs_go"]["argmax_agrees_with_go_token"] = argmax_agree
    res["score_go_tokens_vs_go"]["argmax_positions"] = argmax_total
    res["greedy_vs_go"] = {"identical_prompts": agree_prompts, "prompts": len(side["prompts"]),
                           "tokens_before_first_divergence": agree_tokens,
                           "go_tokens": total_tokens, "first_divergence": first_div}
    res["own_decode_vs_own_prefill"] = stats(self_diffs)
    res["timing"] = {"generate_tokens_per_s": gen_tokens / gen_time if gen_time else None,
                     "prefill_tokens_per_s": pre_tokens / pre_time if pre_time else None,
                     "note": "batch 1, Python loop; for the record, not a benchmark"}
    return res


def write(out_dir, report):
    path = os.path.join(out_dir, "gpu-check.json")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(report, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def tokenizer_check(model_dir, side):
    from transformers import AutoTokenizer
    tok = AutoTokenizer.from_pretrained(model_dir)
    bad = []
    for i, p in enumerate(side["prompts"]):
        ids = tok(p["text"])["input_ids"]
        if list(ids) != p["prompt_ids"]:
            bad.append({"prompt": i, "transformers": list(ids), "go": p["prompt_ids"]})
        text = tok.decode(p["greedy_ids"])
        # Decoding is checked too: the verifier compares texts.
        if p["finish"] == "length" and text != tok.decode(tok(text, add_special_tokens=False)["input_ids"]):
            bad.append({"prompt": i, "round_trip": text})
    return {"class": type(tok).__name__, "prompts": len(side["prompts"]),
            "identical": len(side["prompts"]) - len(bad), "mismatches": bad}


DTYPES = [("float32", "float32", False), ("float32-tf32", "float32", True),
          ("bfloat16", "bfloat16", False), ("float16", "float16", False)]


def run_hf(args, side, report, out_dir):
    import transformers
    from transformers import LlamaForCausalLM
    report["env"]["transformers"] = transformers.__version__
    eos = json.load(open(os.path.join(args.model, "config.json")))["eos_token_id"]
    device = "cuda" if torch.cuda.is_available() else "cpu"
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    try:
        report["tokenizer"] = tokenizer_check(args.model, side)
    except Exception as e:  # keep going: the model check does not need it
        report["tokenizer"] = {"error": repr(e)}
    write(out_dir, report)
    for name, dt, tf32 in DTYPES:
        if device != "cuda" and name != "float32":
            continue
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32
        try:
            kw = {"attn_implementation": args.attn} if args.attn else {}
            model = LlamaForCausalLM.from_pretrained(args.model, torch_dtype=getattr(torch, dt), **kw)
            model = model.to(device).eval()
            r = check_runner(Runner(model, device, True), side, eos, sync)
            r["attn_implementation"] = getattr(model.config, "_attn_implementation", None)
            report["runs"][name] = r
            log(name, json.dumps({k: r[k] for k in ("score_go_tokens_vs_go", "own_decode_vs_own_prefill")}),
                "greedy identical", r["greedy_vs_go"]["identical_prompts"], "/", len(side["prompts"]))
            del model
        except Exception as e:
            report["runs"][name] = {"error": repr(e), "trace": traceback.format_exc()[-2000:]}
            log(name, "failed:", repr(e))
        write(out_dir, report)
    torch.backends.cuda.matmul.allow_tf32 = False


def run_local(args, side, report, out_dir):
    sys.path.insert(0, HERE)
    import llama  # the project's own PyTorch reference of LlamaForCausalLM
    _, model = llama.load_folder(args.model)
    eos = json.load(open(os.path.join(args.model, "config.json")))["eos_token_id"]
    r = check_runner(Runner(model, "cpu", False), side, eos, lambda: None)
    report["runs"]["float32"] = r
    log("float32 (local)", json.dumps({k: r[k] for k in ("score_go_tokens_vs_go", "own_decode_vs_own_prefill")}))
    write(out_dir, report)


VLLM_WORKER = r'''
import json, sys


def main():
    args = json.loads(sys.argv[1])
    side = json.load(open(args["side"]))
    from vllm import LLM, SamplingParams
    llm = LLM(model=args["model"], tokenizer=args["model"], dtype=args["dtype"], enforce_eager=True,
              gpu_memory_utilization=0.25, max_model_len=256, seed=0)
    def gen(prompts, sp):
        try:
            return llm.generate([{"prompt_token_ids": p} for p in prompts], sp, use_tqdm=False)
        except TypeError:
            return llm.generate(prompt_token_ids=prompts, sampling_params=sp, use_tqdm=False)
    def lp_of(d, tok):
        v = d[tok]
        return float(getattr(v, "logprob", v))
    out = {"prompts": []}
    outs = gen([p["prompt_ids"] for p in side["prompts"]], SamplingParams(temperature=0, max_tokens=side["max_tokens"], logprobs=1))
    scores = gen([p["prompt_ids"] + p["greedy_ids"] for p in side["prompts"]], SamplingParams(temperature=0, max_tokens=1, prompt_logprobs=1))
    for p, o, s in zip(side["prompts"], outs, scores):
        c = o.outputs[0]
        ids = list(c.token_ids)
        lps = [lp_of(d, t) for d, t in zip(c.logprobs, ids)]
        n = len(p["prompt_ids"])
        scored = [lp_of(s.prompt_logprobs[n + j], t) for j, t in enumerate(p["greedy_ids"])]
        out["prompts"].append({"greedy_ids": ids, "greedy_logprobs": lps, "finish": str(c.finish_reason),
                               "go_tokens_logprobs": scored})
    print("VLLM_RESULT " + json.dumps(out))


if __name__ == "__main__":
    main()
'''


def run_vllm(args, side, report, out_dir):
    probe = subprocess.run([sys.executable, "-c", "import vllm; print(vllm.__version__)"],
                           capture_output=True, text=True, timeout=90)
    if probe.returncode != 0:
        report["vllm"] = {"available": False, "import_error": probe.stderr.strip().splitlines()[-1:]}
        return
    report["vllm"] = {"available": True, "version": probe.stdout.strip().splitlines()[-1]}
    write(out_dir, report)
    for dtype in ("float32", "bfloat16"):
        left = args.budget - (time.time() - START)
        if left < 60:
            report["vllm"][dtype] = {"skipped": "time budget spent (%.0fs left)" % left}
            continue
        try:
            worker = os.path.join(out_dir, "vllm_worker.py")
            with open(worker, "w") as f:
                f.write(VLLM_WORKER)
            p = subprocess.run([sys.executable, worker,
                                json.dumps({"side": args.side, "model": args.model, "dtype": dtype})],
                               capture_output=True, text=True, timeout=left - 15)
            line = [l for l in p.stdout.splitlines() if l.startswith("VLLM_RESULT ")]
            if not line:
                report["vllm"][dtype] = {"error": "exit %d" % p.returncode,
                                         "stderr_tail": p.stderr[-3000:]}
                continue
            raw = json.loads(line[-1][len("VLLM_RESULT "):])
            r = {"prompts": raw["prompts"]}
            sd, agree = [], 0
            for gp, vp in zip(side["prompts"], raw["prompts"]):
                sd += [abs(a - b) for a, b in zip(vp["go_tokens_logprobs"], gp["logprobs"])]
                agree += int(vp["greedy_ids"] == gp["greedy_ids"])
            r["score_go_tokens_vs_go"] = stats(sd)
            r["greedy_identical_prompts"] = agree
            report["vllm"][dtype] = r
            log("vllm", dtype, json.dumps(r["score_go_tokens_vs_go"]), "greedy identical", agree)
        except subprocess.TimeoutExpired:
            report["vllm"][dtype] = {"error": "timed out"}
        except Exception as e:
            report["vllm"][dtype] = {"error": repr(e)}
        write(out_dir, report)


def summarize(report):
    """The figures the verifier's tolerances are set from."""
    s = {}
    for name, r in report["runs"].items():
        if "score_go_tokens_vs_go" in r:
            s[name] = {"max_abs_logprob_diff_vs_go": r["score_go_tokens_vs_go"]["max_abs_diff"],
                       "mean_abs_logprob_diff_vs_go": r["score_go_tokens_vs_go"]["mean_abs_diff"],
                       "greedy_identical_prompts": r["greedy_vs_go"]["identical_prompts"],
                       "own_decode_vs_prefill_max": r["own_decode_vs_own_prefill"]["max_abs_diff"]}
    report["summary"] = s


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--side", default=DEFAULT_SIDE)
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("--out", default=os.environ.get("OUT", "."))
    p.add_argument("--backend", choices=["hf", "local"], default="hf")
    p.add_argument("--attn", default="", help="transformers attn_implementation (default: its own choice)")
    p.add_argument("--budget", type=float, default=270, help="seconds; optional steps are skipped past it")
    p.add_argument("--no-vllm", action="store_true")
    a = p.parse_args()
    a.side, a.model = os.path.abspath(a.side), os.path.abspath(a.model)
    os.makedirs(a.out, exist_ok=True)
    side = json.load(open(a.side))
    env = {"python": platform.python_version(), "torch": torch.__version__,
           "cuda_available": torch.cuda.is_available(), "backend": a.backend}
    if torch.cuda.is_available():
        env["gpu"] = torch.cuda.get_device_name(0)
        env["cuda"] = torch.version.cuda
    report = {"env": env, "model": os.path.relpath(a.model, ROOT), "go_side": os.path.relpath(a.side, ROOT),
              "go_engine": side.get("engine"), "max_tokens": side["max_tokens"], "runs": {},
              "logprob_definition": "log_softmax of the logits widened to float64; "
                                    "diff = |logprob here - Go engine's logprob| per continuation token"}
    log("env", json.dumps(env))
    write(a.out, report)
    if a.backend == "local":
        run_local(a, side, report, a.out)
    else:
        run_hf(a, side, report, a.out)
    summarize(report)
    write(a.out, report)
    if a.backend == "hf" and not a.no_vllm:
        try:
            run_vllm(a, side, report, a.out)
        except Exception as e:
            report["vllm"] = {"error": repr(e)}
    report["elapsed_s"] = round(time.time() - START, 1)
    write(a.out, report)
    log("summary", json.dumps(report["summary"], indent=1))
    brief = {k: ({kk: vv for kk, vv in v.items() if kk != "prompts"} if isinstance(v, dict) else v)
             for k, v in report.get("vllm", {}).items()}
    log("vllm", json.dumps(brief)[:3000])


if __name__ == "__main__":
    main()
