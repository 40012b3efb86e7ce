#!/usr/bin/python3
"""Write tokenizer.json files of each kind the Go tokenizer reads, and the
ids hftok.py (an implementation apart from the Go one) gives for a set of
texts, for inference/tokenizer/kinds_test.go.

The vocabularies are small: the byte-level ones reuse the alternative test
model's 2048-token vocabulary and merges; the SentencePiece-style ones turn
the same pieces into characters with U+2581 for the blank, plus the 256
<0xXX> byte tokens. What differs between the files is what each family
does around the merges:

  llama3   Split by Llama 3's pattern, then ByteLevel; ignore_merges (with a
           token, "Ġxyzzy", that no merge builds); Llama 3's special tokens
           and one added token that is not special; BOS by template
  qwen2    NFC normalizer, Split by Qwen2's pattern; Qwen2's special
           tokens; no BOS (post-processor ByteLevel)
  smollm2  Digits (individual) then ByteLevel with GPT-2's split; no BOS
  llama2   normalizer Prepend(U+2581) + Replace(" ", U+2581), byte
           fallback, decoder Replace/ByteFallback/Fuse/Strip; <s> by template
  mistral  pre_tokenizer Metaspace (prepend_scheme first, no split),
           decoder Metaspace, [INST] tokens

Usage:
    /usr/bin/python3 scripts/model/tokgolden.py \
        --base inference/llama/testdata/gocode-alt/tokenizer.json \
        --out inference/tokenizer/testdata
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import hftok  # noqa: E402

LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
                  r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2_PATTERN = LLAMA3_PATTERN.replace(r"\p{N}{1,3}", r"\p{N}")

TEXTS = [
    "package main\n\nfunc main() {\n\tprintln(\"hello, 世界\")\n}\n",
    "x := []int{1, 2, 3}\n\t\t// it's a test, isn't it? THEY'LL see, WE'RE 'S\n",
    "   leading  and trailing spaces   ",
    "\n\n\n\t\t\tdeep\r\n\r\nwindows \r\n  \n x",
    "Ünïcödé wörds ١٢٣ ²³ ½ Ⅻ 𝔘𝔫𝔦 🙂🙂 e\u0301 n\u0303o",
    "\u3000ideographic\u00a0nbsp\u2028line\u0085nel\x0bvt\x1cfs\x1f",
    "numbers 1234567 3.14159 0x1F_ff 1_000_000 12 123 1234 ١٢٣٤ a1b22c",
    "!abc .Get()? ;;x ,y ...z a!b (\"q\")\n\n",
    "'s'S'll'LL'd 'm 've're't 'ſ don't",
    " xyzzy xyzzy! plugh",
    "tokens<|end_of_text|>inside<|begin_of_text|>text",
    "<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|><tool> x",
    "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>",
    "<s>[INST] What is 2+2? [/INST] four</s> after",
    " <s>lead</s> ",
    "",
]


def byte_level(base, pattern, added, ignore_merges, extra_words, nfc, bos, digits=False):
    doc = json.loads(json.dumps(base))
    vocab = doc["model"]["vocab"]
    for w in extra_words:
        vocab["".join(bpe.BYTE_TO_CHAR[b] for b in w.encode())] = len(vocab)
    doc["added_tokens"] = []
    for content, special in added:
        vid = vocab.get(content, len(vocab))
        vocab.setdefault(content, vid)
        doc["added_tokens"].append({"id": vid, "content": content, "single_word": False,
                                    "lstrip": False, "rstrip": False, "normalized": False,
                                    "special": special})
    doc["normalizer"] = {"type": "NFC"} if nfc else None
    doc["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": pattern}, "behavior": "Isolated", "invert": False},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]}
    if digits:  # SmolLM2's: digits apart, then ByteLevel's own GPT-2 split
        doc["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
            {"type": "Digits", "individual_digits": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}]}
    doc["decoder"] = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                      "use_regex": True}
    doc["model"]["ignore_merges"] = ignore_merges
    if bos:
        doc["post_processor"] = {"type": "Sequence", "processors": [
            {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
            {"type": "TemplateProcessing",
             "single": [{"SpecialToken": {"id": bos, "type_id": 0}},
                        {"Sequence": {"id": "A", "type_id": 0}}],
             "pair": [], "special_tokens": {bos: {"id": bos, "ids": [vocab[bos]], "tokens": [bos]}}}]}
    else:
        doc["post_processor"] = {"type": "ByteLevel", "add_prefix_space": False,
                                 "trim_offsets": False, "use_regex": False}
    return doc


def sentence_piece(base, metaspace):
    """The byte-level pieces as characters, with the blank as U+2581."""
    def text(piece):
        try:
            return bytes(bpe.CHAR_TO_BYTE[c] for c in piece).decode("utf-8").replace(" ", hftok.META)
        except UnicodeDecodeError:
            return None
    specials = ["<unk>", "<s>", "</s>"]
    vocab = {s: i for i, s in enumerate(specials)}
    for b in range(256):
        vocab["<0x%02X>" % b] = len(vocab)
    by_id = sorted(base["model"]["vocab"].items(), key=lambda kv: kv[1])
    for piece, _ in by_id:
        if piece.startswith("<|"):
            continue
        t = text(piece)
        if t and t not in vocab:
            vocab[t] = len(vocab)
    merges = []
    for m in base["model"]["merges"]:
        left, right = m.split(" ") if isinstance(m, str) else m
        lt, rt = text(left), text(right)
        if lt and rt and (lt + rt) in vocab:
            merges.append(lt + " " + rt)
    added = specials + (["[INST]", "[/INST]"] if metaspace else [])
    for a in added:
        vocab.setdefault(a, len(vocab))
    doc = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": vocab[a], "content": a, "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": False, "special": True} for a in added],
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>",
                  "continuing_subword_prefix": None, "end_of_word_suffix": None,
                  "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
                  "vocab": vocab, "merges": merges},
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                                      {"Sequence": {"id": "A", "type_id": 0}}],
                           "pair": [], "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
    }
    if metaspace:
        doc["normalizer"] = None
        doc["pre_tokenizer"] = {"type": "Metaspace", "replacement": hftok.META,
                                "prepend_scheme": "first", "split": False}
        doc["decoder"] = {"type": "Metaspace", "replacement": hftok.META,
                          "prepend_scheme": "first", "split": False}
    else:
        doc["normalizer"] = {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": hftok.META},
            {"type": "Replace", "pattern": {"String": " "}, "content": hftok.META}]}
        doc["pre_tokenizer"] = None
        doc["decoder"] = {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": hftok.META}, "content": " "},
            {"type": "ByteFallback"}, {"type": "Fuse"},
            {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}
    return doc


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    with open(a.base, encoding="utf-8") as f:
        base = json.load(f)
    llama3_added = [("<|begin_of_text|>", True), ("<|end_of_text|>", True),
                    ("<|start_header_id|>", True), ("<|end_header_id|>", True),
                    ("<|eot_id|>", True), ("<tool>", False)]
    qwen2_added = [("<|endoftext|>", True), ("<|im_start|>", True), ("<|im_end|>", True)]
    docs = {
        "llama3": byte_level(base, LLAMA3_PATTERN, llama3_added, True, [" xyzzy"], False,
                             "<|begin_of_text|>"),
        "qwen2": byte_level(base, QWEN2_PATTERN, qwen2_added, False, [], True, None),
        "smollm2": byte_level(base, None, qwen2_added, False, [], False, None, digits=True),
        "llama2": sentence_piece(base, False),
        "mistral": sentence_piece(base, True),
    }
    for name, doc in docs.items():
        path = os.path.join(a.out, name + ".tokenizer.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        tok = hftok.load(path)
        cases = [{"text": t, "ids": tok.encode(t)} for t in TEXTS]
        with open(os.path.join(a.out, name + ".golden.json"), "w", encoding="utf-8") as f:
            json.dump({"tokenizer": name + ".tokenizer.json", "cases": cases}, f,
                      ensure_ascii=False, indent=None)
            f.write("\n")
        print("wrote", path)


if __name__ == "__main__":
    main()
