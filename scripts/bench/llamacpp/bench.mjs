// llama.cpp's side of the comparison, through node-llama-cpp's prebuilt
// CPU binaries: the same prompt ids as the Go side (BOS 0, then 2 + byte of
// each letter), greedy, timed the same way: the first token comes right
// after the prefill, each later one after one decode step.
//
//   node bench.mjs MODEL.gguf PROMPT_TOKENS GEN_TOKENS RUNS THREADS
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import {getLlama} from "node-llama-cpp";

// node-llama-cpp does not export its package.json; read it beside its entry.
const entry = createRequire(import.meta.url).resolve("node-llama-cpp");
let pkgDir = dirname(entry);
while (!pkgDir.endsWith("node-llama-cpp")) pkgDir = dirname(pkgDir);
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));

const [model, promptN, genN, runsN, threadsN] = process.argv.slice(2);
const promptTokens = Number(promptN ?? 128), gen = Number(genN ?? 64);
const runs = Number(runsN ?? 3), threads = Number(threadsN ?? 2);

const llama = await getLlama({gpu: false, build: "never"});
const t0 = performance.now();
const m = await llama.loadModel({modelPath: model, gpuLayers: 0});
const loadSeconds = (performance.now() - t0) / 1000;

const prompt = [0];
for (let i = 0; i < promptTokens - 1; i++) prompt.push(2 + 97 + (i * 7) % 26);

let prefill = 0, generation = 0, steps = 0, first = [];
for (let r = 0; r < runs; r++) {
    const ctx = await m.createContext({contextSize: 512, batchSize: 512, threads});
    const seq = ctx.getSequence();
    const ids = [];
    const start = performance.now();
    let firstAt = 0, lastAt = 0;
    for await (const id of seq.evaluate(prompt, {temperature: 0})) {
        lastAt = performance.now();
        if (ids.length === 0) firstAt = lastAt;
        ids.push(id);
        if (ids.length === 1 + gen) break;
    }
    prefill = Math.max(prefill, promptTokens / ((firstAt - start) / 1000));
    generation = Math.max(generation, (ids.length - 1) / ((lastAt - firstAt) / 1000));
    steps = ids.length - 1;
    first = ids.slice(0, 8);
    await ctx.dispose();
}
console.log(JSON.stringify({
    engine: "llama.cpp " + llama.llamaCppRelease.release + " (node-llama-cpp " + pkg.version + ", " + llama.buildType + ")",
    threads, prompt_tokens: promptTokens, gen_tokens: steps, load_seconds: loadSeconds,
    prefill_tokens_per_s: prefill, generation_tokens_per_s: generation, first_greedy_ids: first,
}, null, 2));
await m.dispose();
