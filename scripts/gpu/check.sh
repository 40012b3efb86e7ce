#!/usr/bin/env bash
# The GPU check of the OpenAI path: for each serving precision, an OpenAI-compatible server on PyTorch
# (scripts/gpu/openai_server.py: transformers where installed, else the project's PyTorch Llama) serves
# the subnet's model, and a second one serves another model under the same name. The validator's tasks
# are answered through the miner's OpenAI engine and verified as a validator does, with the tolerance
# that matches the precision (float32, or half for bfloat16/float16). Prints one JSON line per
# precision: the share of honest answers accepted and of the other model's answers refused.
#
# On a lent GPU machine (no Go needed there): build the test binary here first,
#   go test -c -o build/check.test ./validator/service
# and carry build/ along; then run  bash scripts/gpu/check.sh  there. Without a GPU it runs the same on
# the CPU (slowly), which tests the script.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-/usr/bin/python3}
BIN=${CHECK_BIN:-build/check.test}
[ -x "$BIN" ] || go test -c -o "$BIN" ./validator/service
OUT=${OUT:-.}
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for dtype in ${DTYPES:-float32 bfloat16 float16}; do
  precision=float32
  [ "$dtype" = float32 ] || precision=half
  "$PY" scripts/gpu/openai_server.py --model models/gocode-tiny --served-model-name gocode-tiny --dtype "$dtype" --port 18701 &
  pids+=($!)
  "$PY" scripts/gpu/openai_server.py --model inference/llama/testdata/gocode-alt --served-model-name gocode-tiny --dtype "$dtype" --port 18702 &
  pids+=($!)
  for port in 18701 18702; do
    for _ in $(seq 1 120); do curl -sf "127.0.0.1:$port/health" >/dev/null && break; sleep 1; done
  done
  export MINDNET_CHECK_HONEST_URL=http://127.0.0.1:18701/v1 MINDNET_CHECK_OTHER_URL=http://127.0.0.1:18702/v1 \
    MINDNET_CHECK_PRECISION=$precision MINDNET_CHECK_TOKEN_IDS=${TOKEN_IDS:-0}
  bin=$(realpath "$BIN")
  (cd validator/service && "$bin" -test.run '^TestServerShares$' -test.v) | sed -n 's/.*RESULT //p' \
    | sed "s/^{/{\"dtype\":\"$dtype\",\"device\":\"$("$PY" -c 'import torch; print(torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu")')\",/" \
    | tee -a "$OUT/gpu-openai-check.jsonl"
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  pids=()
done
