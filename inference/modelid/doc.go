// Package modelid computes a model folder's digest: the identity a subnet records on chain so that
// miners and validators can check, before they serve or score, that the folder they load is the
// subnet's model.
//
// The digest is the SHA-256 of a manifest listing the folder's canonical files (config.json,
// tokenizer.json and every top-level *.safetensors file), sorted by name in byte order, one line per
// file in the format sha256sum prints: 64 lowercase hex digits of the file's SHA-256, two spaces, the
// file name, a newline. Anyone can therefore recompute it with coreutils:
//
//	cd DIR && sha256sum config.json tokenizer.json *.safetensors | LC_ALL=C sort -k 2 | sha256sum
//
// Other files (generation_config.json, README.md, the shard index) do not count: they can change
// without changing what the model computes.
//
// The package reads through fs.FS so that it hashes a folder on disk (os.DirFS) and the built-in
// model embedded in package models alike, and it imports nothing of the chain or of the models
// package: the chain uses its constants without linking the model's weights.
package modelid
