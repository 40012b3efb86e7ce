"""Byte-level BPE in the Hugging Face `tokenizers` format, written from scratch.

The image has no `tokenizers` package, so this module trains, applies and
writes a byte-level BPE tokenizer itself. Its pieces follow what GPT-2 and
Hugging Face's ByteLevel pre-tokenizer do, so that the tokenizer.json it writes
loads in `tokenizers`/`transformers` and encodes text the same way:

* the GPT-2 byte-to-unicode table maps every byte to a printable character;
* the pre-tokenizer splits text as the GPT-2 pattern
  's|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+
  does; Python's `re` has no \\p{..} classes, so the split is done by hand
  (`split_words`), and an ASCII-only regex equivalent is used as a fast path
  and as a cross-check;
* merges apply by rank (lowest first, leftmost first among equals).
"""

import heapq
import json
import re
import unicodedata
from collections import Counter, defaultdict

BOS = "<|begin_of_text|>"
EOS = "<|end_of_text|>"
SPECIAL_TOKENS = [BOS, EOS]

# Unicode White_Space, which is what \s means in the Rust regex engines that
# Hugging Face uses, and what Go's unicode.IsSpace reports. Python's
# str.isspace also accepts U+001C..U+001F, so it is not used.
_WHITE_SPACE = set(
    [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029,
     0x202F, 0x205F, 0x3000] + list(range(0x2000, 0x200B)))

_CONTRACTIONS = ("s", "t", "re", "ve", "m", "ll", "d")

_ASCII_PATTERN = re.compile(
    r"""'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+""",
    re.ASCII)


def bytes_to_unicode():
    """GPT-2's table: printable bytes map to themselves, the rest to 256+n."""
    keep = (list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) +
            list(range(0xAE, 0x100)))
    table = {}
    n = 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + n)
            n += 1
    return table


BYTE_TO_CHAR = bytes_to_unicode()
CHAR_TO_BYTE = {c: b for b, c in BYTE_TO_CHAR.items()}


def _is_space(c):
    return ord(c) in _WHITE_SPACE


def _is_letter(c):
    return unicodedata.category(c)[0] == "L"


def _is_number(c):
    return unicodedata.category(c)[0] == "N"


def _class_run(s, k, n):
    """End of the run that starts at s[k] under pattern alternatives 2-4."""
    c = s[k]
    if _is_letter(c):
        pred = _is_letter
    elif _is_number(c):
        pred = _is_number
    else:
        def pred(x):
            return not (_is_space(x) or _is_letter(x) or _is_number(x))
    j = k + 1
    while j < n and pred(s[j]):
        j += 1
    return j


def _match_at(s, i, n):
    c = s[i]
    if c == "'":
        for suffix in _CONTRACTIONS:
            if s.startswith(suffix, i + 1):
                return i + 1 + len(suffix)
    if c == " " and i + 1 < n and not _is_space(s[i + 1]):
        return _class_run(s, i + 1, n)
    if not _is_space(c):
        return _class_run(s, i, n)
    j = i
    while j < n and _is_space(s[j]):
        j += 1
    if j == n:
        return j
    # \s+(?!\S): leave the last blank for the next word; a lone blank before
    # a word falls through to the plain \s+ alternative.
    if j - i >= 2:
        return j - 1
    return i + 1


def split_words(s):
    """Split text as the GPT-2 pre-tokenizer pattern does."""
    if s.isascii():
        return _ASCII_PATTERN.findall(s)
    return split_words_slow(s)


def split_words_slow(s):
    out = []
    i, n = 0, len(s)
    while i < n:
        j = _match_at(s, i, n)
        out.append(s[i:j])
        i = j
    return out


def word_symbols(word):
    return [BYTE_TO_CHAR[b] for b in word.encode("utf-8")]


def train(texts, vocab_size):
    """Learn merges until the vocabulary (specials + 256 bytes + merges) is full."""
    counts = Counter()
    for t in texts:
        counts.update(split_words(t))
    base = [BYTE_TO_CHAR[b] for b in range(256)]
    vocab = {tok: i for i, tok in enumerate(SPECIAL_TOKENS)}
    for ch in base:
        vocab[ch] = len(vocab)
    id_to_tok = {i: t for t, i in vocab.items()}
    words = []
    freqs = []
    for w, f in sorted(counts.items()):
        words.append([vocab[ch] for ch in word_symbols(w)])
        freqs.append(f)
    pair_count = defaultdict(int)
    where = defaultdict(set)
    for wi, w in enumerate(words):
        for p in zip(w, w[1:]):
            pair_count[p] += freqs[wi]
            where[p].add(wi)
    heap = [(-c, p) for p, c in pair_count.items()]
    heapq.heapify(heap)
    merges = []
    while len(vocab) < vocab_size and heap:
        negc, pair = heapq.heappop(heap)
        if pair_count.get(pair, 0) != -negc or negc == 0:
            continue  # stale heap entry
        new_tok = id_to_tok[pair[0]] + id_to_tok[pair[1]]
        new_id = len(vocab)
        vocab[new_tok] = new_id
        id_to_tok[new_id] = new_tok
        merges.append((id_to_tok[pair[0]], id_to_tok[pair[1]]))
        changed = set()
        for wi in sorted(where[pair]):
            w = words[wi]
            f = freqs[wi]
            for p in zip(w, w[1:]):
                pair_count[p] -= f
                changed.add(p)
            merged = []
            k = 0
            while k < len(w):
                if k + 1 < len(w) and w[k] == pair[0] and w[k + 1] == pair[1]:
                    merged.append(new_id)
                    k += 2
                else:
                    merged.append(w[k])
                    k += 1
            words[wi] = merged
            for p in zip(merged, merged[1:]):
                pair_count[p] += f
                where[p].add(wi)
                changed.add(p)
        del where[pair]
        pair_count.pop(pair, None)
        changed.discard(pair)
        for p in changed:
            c = pair_count.get(p, 0)
            if c > 0:
                heapq.heappush(heap, (-c, p))
            else:
                pair_count.pop(p, None)
    return vocab, merges


class Tokenizer:
    """Encoder/decoder for a vocabulary and ranked merge list."""

    def __init__(self, vocab, merges):
        self.vocab = vocab
        self.id_to_tok = {i: t for t, i in vocab.items()}
        self.ranks = {tuple(m): r for r, m in enumerate(merges)}
        self.merges = merges
        self.cache = {}
        self.special = {t: vocab[t] for t in SPECIAL_TOKENS}

    def _bpe(self, word):
        hit = self.cache.get(word)
        if hit is not None:
            return hit
        syms = word_symbols(word)
        while len(syms) > 1:
            best = None
            best_rank = None
            for k in range(len(syms) - 1):
                r = self.ranks.get((syms[k], syms[k + 1]))
                if r is not None and (best_rank is None or r < best_rank):
                    best, best_rank = k, r
            if best is None:
                break
            a, b = syms[best], syms[best + 1]
            out = []
            k = 0
            while k < len(syms):
                if k + 1 < len(syms) and syms[k] == a and syms[k + 1] == b:
                    out.append(a + b)
                    k += 2
                else:
                    out.append(syms[k])
                    k += 1
            syms = out
        ids = [self.vocab[s] for s in syms]
        if len(self.cache) < 500000:
            self.cache[word] = ids
        return ids

    def encode(self, text, add_bos=False):
        ids = [self.special[BOS]] if add_bos else []
        # Special tokens are cut out before pre-tokenization, as the
        # `tokenizers` added-token matcher does.
        pattern = "(" + "|".join(re.escape(t) for t in SPECIAL_TOKENS) + ")"
        for part in re.split(pattern, text):
            if part in self.special:
                ids.append(self.special[part])
            elif part:
                for w in split_words(part):
                    ids.extend(self._bpe(w))
        return ids

    def decode(self, ids):
        out = bytearray()
        for i in ids:
            tok = self.id_to_tok[i]
            if tok in self.special:
                out.extend(tok.encode("utf-8"))
            else:
                out.extend(CHAR_TO_BYTE[c] for c in tok)
        return out.decode("utf-8", errors="replace")


def tokenizer_json(vocab, merges):
    """The Hugging Face `tokenizers` serialisation of a byte-level BPE."""
    byte_level = {"type": "ByteLevel", "add_prefix_space": False,
                  "trim_offsets": True, "use_regex": True}
    added = [{"id": vocab[t], "content": t, "single_word": False,
              "lstrip": False, "rstrip": False, "normalized": False,
              "special": True} for t in SPECIAL_TOKENS]
    bos_id = vocab[BOS]
    post = {
        "type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": BOS, "type_id": 0}},
                   {"Sequence": {"id": "A", "type_id": 0}}],
        "pair": [{"SpecialToken": {"id": BOS, "type_id": 0}},
                 {"Sequence": {"id": "A", "type_id": 0}},
                 {"SpecialToken": {"id": BOS, "type_id": 1}},
                 {"Sequence": {"id": "B", "type_id": 1}}],
        "special_tokens": {BOS: {"id": BOS, "ids": [bos_id], "tokens": [BOS]}},
    }
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": byte_level,
        "post_processor": post,
        "decoder": dict(byte_level),
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": [a + " " + b for a, b in merges],
        },
    }


def load_tokenizer_json(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    model = doc["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m)
              for m in model["merges"]]
    vocab = dict(model["vocab"])
    for t in doc["added_tokens"]:
        vocab[t["content"]] = t["id"]
    return Tokenizer(vocab, merges)
