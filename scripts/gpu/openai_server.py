#!/usr/bin/env python3
"""An OpenAI-compatible server on PyTorch, in vLLM's wire format, for checking
Mindnet's GPU path where a GPU is lent (and, on the CPU, in tests).

It serves one model folder with Hugging Face transformers when installed, else
with the project's own PyTorch Llama (scripts/model/llama.py, bpe.py), in
float32, bfloat16 or float16, on CUDA when available:

    GET  /v1/models, GET /health
    POST /v1/completions   prompt as text or token ids; max_tokens (0 with
                           echo); temperature, top_p, seed, stop; logprobs
                           (top k); echo; stream (SSE);
                           return_tokens_as_token_ids

Tokens are named as vLLM names them: each token decoded alone with
errors="replace", or "token_id:N". Generation recomputes the whole sequence
at every step (no KV cache): the models checked here are small, and the point
is the numbers and the wire format, not speed.

    python3 scripts/gpu/openai_server.py --model models/gocode-tiny \\
        --served-model-name gocode-tiny --dtype float32 --port 8000
"""

import argparse
import json
import math
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "model"))

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


class Backend:
    """A model and its tokenizer: encode, token bytes, and logits."""

    def __init__(self, folder, dtype, device):
        self.device = device
        with open(os.path.join(folder, "config.json")) as f:
            self.cfg = json.load(f)
        bos = self.cfg["bos_token_id"]
        eos = self.cfg["eos_token_id"]
        self.bos = bos[0] if isinstance(bos, list) else bos
        self.eos = set(eos if isinstance(eos, list) else [eos])
        self.ctx = self.cfg["max_position_embeddings"]
        try:
            from transformers import AutoModelForCausalLM, AutoTokenizer
            self.tok = AutoTokenizer.from_pretrained(folder)
            self.model = AutoModelForCausalLM.from_pretrained(folder, torch_dtype=dtype).to(device).eval()
            self.kind = "transformers"
            self._bytes = self._hf_bytes
            self._encode = lambda text: self.tok.encode(text, add_special_tokens=False)
            self.special = set(self.tok.all_special_ids)
        except ImportError:
            import bpe
            import llama
            _, self.model = llama.load_folder(folder)
            self.model = self.model.to(dtype).to(device)
            self.tok = bpe.load_tokenizer_json(os.path.join(folder, "tokenizer.json"))
            self.kind = "local"
            self.special = set(self.tok.special.values())
            self._bytes = self._local_bytes
            self._encode = lambda text: self.tok.encode(text)
            self._char_to_byte = bpe.CHAR_TO_BYTE
        self.vocab = self.cfg["vocab_size"]
        self.lock = threading.Lock()

    def _hf_bytes(self, i):
        piece = self.tok.convert_ids_to_tokens(i)
        if i in self.special:
            return piece.encode()
        from transformers.models.gpt2.tokenization_gpt2 import bytes_to_unicode
        table = {c: b for b, c in bytes_to_unicode().items()}
        return bytes(table[c] for c in piece)

    def _local_bytes(self, i):
        piece = self.tok.id_to_tok[i]
        if i in self.special:
            return piece.encode()
        return bytes(self._char_to_byte[c] for c in piece)

    def token_bytes(self, i):
        return self._bytes(i)

    def name(self, i, as_ids):
        if as_ids:
            return "token_id:%d" % i
        return self.token_bytes(i).decode("utf-8", errors="replace")

    def encode_prompt(self, text):
        return [self.bos] + self._encode(text)

    @torch.no_grad()
    def logprobs(self, ids):
        """log-softmax over the vocabulary at every position, in float32."""
        x = torch.tensor([ids], device=self.device)
        with self.lock:
            out = self.model(x)
        logits = out.logits if hasattr(out, "logits") else out
        return torch.log_softmax(logits[0].float(), dim=-1).cpu()


def error(handler, status, msg, param=None):
    kind = {400: "BadRequestError", 404: "NotFoundError"}.get(status, "InternalServerError")
    body = json.dumps({"error": {"message": msg, "type": kind, "param": param, "code": status}}).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def make_handler(backend, served):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def send_json(self, obj):
            body = json.dumps(obj).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/v1/models":
                self.send_json({"object": "list", "data": [{"id": served, "object": "model", "owned_by": "mindnet",
                                                            "max_model_len": backend.ctx}]})
            elif self.path == "/health":
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                error(self, 404, "no route " + self.path)

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            try:
                req = json.loads(self.rfile.read(n))
            except ValueError:
                return error(self, 400, "request body is not valid JSON")
            if self.path != "/v1/completions":
                return error(self, 404, "no route " + self.path)
            if req.get("model") != served:
                return error(self, 404, "The model `%s` does not exist." % req.get("model"), "model")
            try:
                self.completions(req)
            except ValueError as e:
                error(self, 400, str(e.args[0]), e.args[1] if len(e.args) > 1 else None)

        def completions(self, req):
            prompt = req.get("prompt")
            if isinstance(prompt, str) and prompt:
                ids = backend.encode_prompt(prompt)
            elif isinstance(prompt, list) and prompt and all(isinstance(i, int) for i in prompt):
                ids = list(prompt)
                if any(i < 0 or i >= backend.vocab for i in ids):
                    raise ValueError("token id outside the vocabulary", "prompt")
            else:
                raise ValueError("prompt must be a string or a list of token ids", "prompt")
            echo = bool(req.get("echo"))
            max_tokens = req.get("max_tokens", 16)
            if not isinstance(max_tokens, int) or max_tokens < 0 or (max_tokens == 0 and not echo):
                raise ValueError("max_tokens must be at least 1 (0 only with echo)", "max_tokens")
            if len(ids) + max_tokens > backend.ctx:
                raise ValueError("This model's maximum context length is %d tokens." % backend.ctx, "max_tokens")
            k = req.get("logprobs")
            if k is not None and (not isinstance(k, int) or k < 0 or k > 20):
                raise ValueError("logprobs must be between 0 and 20", "logprobs")
            temperature = float(req.get("temperature", 1.0))
            top_p = float(req.get("top_p", 1.0))
            if temperature < 0:
                raise ValueError("temperature must be at least 0", "temperature")
            if not 0 < top_p <= 1:
                raise ValueError("top_p must be in (0, 1]", "top_p")
            stop = req.get("stop") or []
            if isinstance(stop, str):
                stop = [stop]
            as_ids = bool(req.get("return_tokens_as_token_ids"))
            gen = torch.Generator().manual_seed(int(req.get("seed", 0)) & 0x7FFFFFFFFFFFFFFF)

            names, lps, tops, text = [], [], [], b""
            if echo and k is not None:
                lp = backend.logprobs(ids)
                names.append(backend.name(ids[0], as_ids))
                lps.append(None)
                tops.append(None)
                for p in range(1, len(ids)):
                    row = lp[p - 1]
                    top = {backend.name(ids[p], as_ids): float(row[ids[p]])}
                    if k:
                        vals, idx = row.topk(k)
                        for v, i in zip(vals.tolist(), idx.tolist()):
                            top[backend.name(i, as_ids)] = v
                    names.append(backend.name(ids[p], as_ids))
                    lps.append(float(row[ids[p]]))
                    tops.append(top)
            prompt_text = b"".join(backend.token_bytes(i) for i in ids if i not in backend.special)
            seq, finish, out_bytes = list(ids), "length", b""
            chunks = []
            for _ in range(max_tokens):
                row = backend.logprobs(seq)[-1]
                if temperature == 0:
                    nxt = int(row.argmax())
                else:
                    probs = torch.softmax(row / temperature, dim=-1)
                    sp, si = probs.sort(descending=True)
                    keep = (sp.cumsum(0) - sp) < top_p
                    sp = sp * keep
                    nxt = int(si[torch.multinomial(sp / sp.sum(), 1, generator=gen)])
                top = {backend.name(nxt, as_ids): float(row[nxt])}
                if k:
                    vals, idx = row.topk(k)
                    for v, i in zip(vals.tolist(), idx.tolist()):
                        top[backend.name(i, as_ids)] = v
                names.append(backend.name(nxt, as_ids))
                lps.append(float(row[nxt]))
                tops.append(top)
                chunks.append((nxt, float(row[nxt]), top))
                seq.append(nxt)
                if nxt in backend.eos:
                    finish = "stop"
                    break
                before = len(out_bytes)
                out_bytes += backend.token_bytes(nxt)
                cut = min((out_bytes.find(s.encode(), max(0, before - len(s) + 1)) for s in stop
                           if out_bytes.find(s.encode(), max(0, before - len(s) + 1)) >= 0), default=-1)
                if cut >= 0:
                    out_bytes, finish = out_bytes[:cut], "stop"
                    break
            text = out_bytes.decode("utf-8", errors="replace")
            if echo:
                text = prompt_text.decode("utf-8", errors="replace") + text
            logprobs = None
            if k is not None:
                logprobs = {"text_offset": [0] * len(names), "tokens": names, "token_logprobs": lps, "top_logprobs": tops}
            if not req.get("stream"):
                return self.send_json({"id": "cmpl-torch", "object": "text_completion", "model": served,
                                       "choices": [{"index": 0, "text": text, "logprobs": logprobs, "finish_reason": finish}],
                                       "usage": {"prompt_tokens": len(ids), "completion_tokens": len(chunks),
                                                 "total_tokens": len(ids) + len(chunks)}})
            # Streams send each generated token's entry; the whole text comes with the last chunk,
            # which a client may do as vLLM holds back text it cannot yet decode.
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            first = len(names) - len(chunks)
            for j in range(len(chunks)):
                lp = None
                if k is not None:
                    lp = {"text_offset": [0], "tokens": [names[first + j]], "token_logprobs": [lps[first + j]],
                          "top_logprobs": [tops[first + j]]}
                self.event({"object": "text_completion", "choices": [{"index": 0, "text": "", "logprobs": lp, "finish_reason": None}]})
            self.event({"object": "text_completion", "choices": [{"index": 0, "text": text, "logprobs": None, "finish_reason": finish}]})
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

        def event(self, obj):
            self.wfile.write(b"data: " + json.dumps(obj).encode() + b"\n\n")
            self.wfile.flush()

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="model folder")
    ap.add_argument("--served-model-name", default=None)
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="float32")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    args = ap.parse_args()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    backend = Backend(args.model, DTYPES[args.dtype], device)
    served = args.served_model_name or args.model
    srv = ThreadingHTTPServer((args.host, args.port), make_handler(backend, served))
    print(json.dumps({"serving": served, "backend": backend.kind, "dtype": args.dtype, "device": device,
                      "port": srv.server_address[1]}), flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
