"""An encoder for Hugging Face tokenizer.json files of the kinds the Go
tokenizer reads, written apart from it so that each checks the other.

Where the Go package hand-writes each pre-tokenizer pattern, this module
runs the pattern stored in the file through the `regex` module (Debian's
python3-regex), which has \\p{L}, \\p{N} and lookahead. Merges apply in the
textbook way of GPT-2's encoder: repeatedly merge every occurrence of the
lowest-ranked adjacent pair, left to right. SentencePiece-style files
(byte_fallback, metaspace) follow the `tokenizers` steps: added tokens cut
out first, blanks to U+2581, the U+2581 prefix as the normalizer
(Prepend) or pre-tokenizer (Metaspace prepend_scheme) says, characters the
vocabulary lacks as <0xXX> byte tokens.
"""

import json
import unicodedata

import regex

import bpe

GPT2_PATTERN = (r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+"
                r"|\s+(?!\S)|\s+")
META = "\u2581"


def _members(c):
    if not c:
        return []
    if c.get("type") == "Sequence":
        out = []
        for key in ("normalizers", "pretokenizers", "decoders"):
            for m in c.get(key, []):
                out.extend(_members(m))
        return out
    return [c]


class HFTokenizer:
    def __init__(self, doc):
        model = doc["model"]
        self.vocab = dict(model["vocab"])
        merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m)
                  for m in model["merges"]]
        self.ranks = {}
        for r, m in enumerate(merges):
            self.ranks.setdefault(m, r)
        self.added = {a["content"]: a["id"] for a in doc["added_tokens"]}
        contents = sorted(self.added, key=len, reverse=True)
        self.added_re = (regex.compile("|".join(regex.escape(c) for c in contents))
                         if contents else None)
        norm = _members(doc.get("normalizer"))
        pre = _members(doc.get("pre_tokenizer"))
        self.ignore_merges = model.get("ignore_merges", False)
        self.sp = model.get("byte_fallback", False) or any(
            c["type"] in ("Metaspace", "Prepend") for c in norm + pre)
        self.nfc = any(c["type"] == "NFC" for c in norm)
        self.pattern = regex.compile(GPT2_PATTERN)
        self.digits = None
        for c in pre:
            if c["type"] == "Digits":  # ASCII digits cut out first
                self.digits = regex.compile("([0-9])" if c.get("individual_digits") else "([0-9]+)")
        for c in pre:
            if c["type"] == "Split":
                self.pattern = regex.compile(c["pattern"]["Regex"])
        self.prepend = "never"
        self.split = False
        if any(c["type"] == "Prepend" for c in norm):
            self.prepend = "legacy"
        for c in pre:
            if c["type"] == "Metaspace":
                self.prepend = c.get("prepend_scheme", "always")
                self.split = c.get("split", True)

    def encode(self, text):
        ids = []
        pos = 0
        parts = []
        if self.added_re:
            for m in self.added_re.finditer(text):
                parts.append((text[pos:m.start()], pos == 0))
                parts.append((m.group(0), None))
                pos = m.end()
        parts.append((text[pos:], pos == 0))
        for part, first in parts:
            if first is None:
                ids.append(self.added[part])
            elif part:
                ids.extend(self._encode_sp(part, first) if self.sp else self._encode_bl(part))
        return ids

    def _encode_bl(self, part):
        if self.nfc:
            part = unicodedata.normalize("NFC", part)
        out = []
        pieces = [p for p in self.digits.split(part) if p] if self.digits else [part]
        words = [w for p in pieces for w in self.pattern.findall(p)]
        for word in words:
            mapped = "".join(bpe.BYTE_TO_CHAR[b] for b in word.encode("utf-8"))
            if self.ignore_merges and mapped in self.vocab:
                out.append(self.vocab[mapped])
                continue
            out.extend(self.vocab[s] for s in self._merge(list(mapped)))
        return out

    def _encode_sp(self, part, first):
        s = part.replace(" ", META)
        if self.prepend == "legacy":
            s = META + s
        elif (self.prepend == "always" or (self.prepend == "first" and first)) \
                and not s.startswith(META):
            s = META + s
        words = [s]
        if self.split:  # each U+2581 begins a word
            words = [w for w in s.replace(META, "\0" + META).split("\0") if w]
        out = []
        for w in words:
            syms = []
            for ch in w:
                if ch in self.vocab:
                    syms.append(ch)
                else:
                    syms.extend("<0x%02X>" % b for b in ch.encode("utf-8"))
            out.extend(self.vocab[s] for s in self._merge(syms))
        return out

    def _merge(self, syms):
        while len(syms) > 1:
            best = min(range(len(syms) - 1),
                       key=lambda k: self.ranks.get((syms[k], syms[k + 1]), float("inf")))
            pair = (syms[best], syms[best + 1])
            if pair not in self.ranks:
                break
            out, k = [], 0
            while k < len(syms):
                if k + 1 < len(syms) and (syms[k], syms[k + 1]) == pair:
                    out.append(pair[0] + pair[1])
                    k += 2
                else:
                    out.append(syms[k])
                    k += 1
            syms = out
        return syms


def load(path):
    with open(path, encoding="utf-8") as f:
        return HFTokenizer(json.load(f))
