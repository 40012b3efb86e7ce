#!/usr/bin/env bash
# Built-in engine against llama.cpp on the same random-weight model in
# SmolLM2-135M's shape, float32 on both sides, side by side.
#
#   scripts/bench/llamacpp/run.sh            # prints the comparison
#
# Environment: WORK (a folder kept between runs; default a new temp dir),
# PROMPT (prompt tokens, 128), GEN (generated tokens, 32), ROUNDS (3),
# THREADS ("1 2"), NODE_LLAMA_CPP (the npm version, 3.22.1).
# Needs Go, Node.js with npm (node-llama-cpp is installed into WORK, with its
# prebuilt llama.cpp binaries; nothing is built), python3, and about 1.1 GB
# of disk for the two copies of the weights.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
here="$root/scripts/bench/llamacpp"
work=${WORK:-$(mktemp -d /tmp/mindnet-llamacpp.XXXXXX)}
PROMPT=${PROMPT:-128}
GEN=${GEN:-32}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-"1 2"}
NODE_LLAMA_CPP=${NODE_LLAMA_CPP:-3.22.1}
cd "$root"

if [ ! -f "$work/model.gguf" ]; then
	echo "writing the random-weight checkpoint and its GGUF copy to $work" >&2
	go run ./scripts/bench/llamacpp write -out "$work"
fi
if [ ! -d "$work/npm/node_modules/node-llama-cpp" ]; then
	echo "npm install node-llama-cpp@$NODE_LLAMA_CPP into $work/npm" >&2
	mkdir -p "$work/npm"
	(cd "$work/npm" && npm init -y >/dev/null && npm install --no-audit --no-fund "node-llama-cpp@$NODE_LLAMA_CPP" >/dev/null)
fi
cp "$here/bench.mjs" "$work/npm/bench.mjs"
go build -o "$work/enginebench" ./scripts/bench/llamacpp

# Rounds alternate the engines, so that a busy moment of a shared machine
# falls on both; each figure reported is the best of the rounds.
for round in $(seq "$ROUNDS"); do
	for t in $THREADS; do
		echo "round $round, $t thread(s): Go" >&2
		GOMAXPROCS=$t "$work/enginebench" bench -dir "$work/hf" -prompt "$PROMPT" -gen "$GEN" -runs 1 \
			>"$work/go-$t-$round.json"
		echo "round $round, $t thread(s): llama.cpp" >&2
		(cd "$work/npm" && node bench.mjs "$work/model.gguf" "$PROMPT" "$GEN" 1 "$t" 2>/dev/null) \
			>"$work/cpp-$t-$round.json"
	done
done

python3 - "$work" "$THREADS" <<'PY'
import glob, json, os, sys
work, threads = sys.argv[1], sys.argv[2].split()
def load(prefix, t):
    return [json.load(open(p)) for p in sorted(glob.glob(os.path.join(work, "%s-%s-*.json" % (prefix, t))))]
print("load average (1, 5, 15 min): %.2f %.2f %.2f" % os.getloadavg())
for t in threads:
    go, cpp = load("go", t), load("cpp", t)
    best = lambda rs, k: max(r[k] for r in rs)
    print("\n%s thread(s), %d prompt tokens, %d generated, best of %d rounds" %
          (t, go[0]["prompt_tokens"], go[0]["gen_tokens"], len(go)))
    print("  %-58s %12s %12s" % ("engine", "prefill t/s", "generate t/s"))
    for rs in (go, cpp):
        print("  %-58s %12.1f %12.2f" % (rs[0]["engine"], best(rs, "prefill_tokens_per_s"),
                                         best(rs, "generation_tokens_per_s")))
    print("  %-58s %12.2f %12.2f" % ("ratio Go / llama.cpp", best(go, "prefill_tokens_per_s") / best(cpp, "prefill_tokens_per_s"),
                                     best(go, "generation_tokens_per_s") / best(cpp, "generation_tokens_per_s")))
    same = all(g["first_greedy_ids"] == c["first_greedy_ids"] for g, c in zip(go, cpp))
    print("  first greedy tokens %s: Go %s, llama.cpp %s" % ("agree" if same else "DIFFER",
          go[0]["first_greedy_ids"], cpp[0]["first_greedy_ids"]))
PY
