package models

import "embed"

// DefaultName is the folder, and the model name, of the default model.
const DefaultName = "gocode-tiny"

// FS holds the default model folder. The training manifest (data.json) and
// README travel with it so that a binary can say what it runs.
//
//go:embed gocode-tiny/config.json gocode-tiny/generation_config.json
//go:embed gocode-tiny/tokenizer.json gocode-tiny/tokenizer_config.json
//go:embed gocode-tiny/special_tokens_map.json gocode-tiny/model.safetensors
//go:embed gocode-tiny/data.json gocode-tiny/README.md gocode-tiny/LICENSE-GO
var FS embed.FS
