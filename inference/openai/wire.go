package openai

import (
	"encoding/json"
)

// completionRequest is the body of POST /v1/completions. Prompt is a string
// or a list of token ids.
type completionRequest struct {
	Model       string   `json:"model"`
	Prompt      any      `json:"prompt"`
	MaxTokens   int      `json:"max_tokens"`
	Temperature float64  `json:"temperature"`
	TopP        float64  `json:"top_p"`
	Seed        uint64   `json:"seed"`
	Stop        []string `json:"stop,omitempty"`
	Logprobs    int      `json:"logprobs"`
	Echo        bool     `json:"echo,omitempty"`
	Stream      bool     `json:"stream,omitempty"`
	TokenIDs    bool     `json:"return_tokens_as_token_ids,omitempty"`
}

// completionLogprobs is the legacy logprobs object of /v1/completions:
// parallel lists, with null for the first prompt token under echo.
type completionLogprobs struct {
	Tokens        []string             `json:"tokens"`
	TokenLogprobs []*float64           `json:"token_logprobs"`
	TopLogprobs   []map[string]float64 `json:"top_logprobs"`
}

type completionChoice struct {
	Index        int                 `json:"index"`
	Text         string              `json:"text"`
	Logprobs     *completionLogprobs `json:"logprobs"`
	FinishReason *string             `json:"finish_reason"`
}

type completionResponse struct {
	Choices []completionChoice `json:"choices"`
	Error   json.RawMessage    `json:"error"`
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model       string        `json:"model"`
	Messages    []chatMessage `json:"messages"`
	MaxTokens   int           `json:"max_tokens"`
	Temperature float64       `json:"temperature"`
	TopP        float64       `json:"top_p"`
	Seed        uint64        `json:"seed"`
	Stop        []string      `json:"stop,omitempty"`
	Logprobs    bool          `json:"logprobs"`
	TopLogprobs int           `json:"top_logprobs,omitempty"`
	Stream      bool          `json:"stream,omitempty"`
	TokenIDs    bool          `json:"return_tokens_as_token_ids,omitempty"`
}

type chatTokenLogprob struct {
	Token       string             `json:"token"`
	Logprob     float64            `json:"logprob"`
	TopLogprobs []chatTokenLogprob `json:"top_logprobs"`
}

type chatChoice struct {
	Message *chatMessage `json:"message"`
	Delta   *chatMessage `json:"delta"`
	// Logprobs.Content lists one entry per generated token.
	Logprobs *struct {
		Content []chatTokenLogprob `json:"content"`
	} `json:"logprobs"`
	FinishReason *string `json:"finish_reason"`
}

type chatResponse struct {
	Choices []chatChoice    `json:"choices"`
	Error   json.RawMessage `json:"error"`
}
