package openai

import (
	"encoding/json"
)

// The wire format of vLLM's OpenAI-compatible server, shared by the client
// in this package and the server in package openai/serve. Fields a client
// does not read are still declared so that the server writes what vLLM
// writes; omitempty keeps requests free of fields strict servers reject.

// CompletionRequest is the body of POST /v1/completions. Prompt is a string
// or a list of token ids.
type CompletionRequest struct {
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

// CompletionLogprobs is the legacy logprobs object of /v1/completions:
// parallel lists, with null for the first prompt token under echo.
type CompletionLogprobs struct {
	TextOffset    []int                `json:"text_offset"`
	Tokens        []string             `json:"tokens"`
	TokenLogprobs []*float64           `json:"token_logprobs"`
	TopLogprobs   []map[string]float64 `json:"top_logprobs"`
}

// CompletionChoice is one continuation. FinishReason is null in stream
// chunks before the last.
type CompletionChoice struct {
	Index        int                 `json:"index"`
	Text         string              `json:"text"`
	Logprobs     *CompletionLogprobs `json:"logprobs"`
	FinishReason *string             `json:"finish_reason"`
}

// Usage counts a request's tokens.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// CompletionResponse is a /v1/completions answer or one of its stream chunks.
type CompletionResponse struct {
	ID      string             `json:"id,omitempty"`
	Object  string             `json:"object,omitempty"`
	Created int64              `json:"created,omitempty"`
	Model   string             `json:"model,omitempty"`
	Choices []CompletionChoice `json:"choices"`
	Usage   *Usage             `json:"usage,omitempty"`
	Error   json.RawMessage    `json:"error,omitempty"`
}

// ChatMessage is one chat turn.
type ChatMessage struct {
	Role    string `json:"role,omitempty"`
	Content string `json:"content"`
}

// ChatRequest is the body of POST /v1/chat/completions.
type ChatRequest struct {
	Model       string        `json:"model"`
	Messages    []ChatMessage `json:"messages"`
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

// ChatTokenLogprob is one generated token of a chat answer with its
// alternatives; Bytes are the UTF-8 bytes of Token as the server wrote it.
type ChatTokenLogprob struct {
	Token       string           `json:"token"`
	Logprob     float64          `json:"logprob"`
	Bytes       []int            `json:"bytes"`
	TopLogprobs []ChatTopLogprob `json:"top_logprobs"`
}

// ChatTopLogprob is one alternative in a chat answer's top_logprobs.
type ChatTopLogprob struct {
	Token   string  `json:"token"`
	Logprob float64 `json:"logprob"`
	Bytes   []int   `json:"bytes"`
}

// ChatLogprobs lists one entry per generated token.
type ChatLogprobs struct {
	Content []ChatTokenLogprob `json:"content"`
}

// ChatChoice is one answer: Message in a whole response, Delta in a stream
// chunk.
type ChatChoice struct {
	Index        int           `json:"index"`
	Message      *ChatMessage  `json:"message,omitempty"`
	Delta        *ChatMessage  `json:"delta,omitempty"`
	Logprobs     *ChatLogprobs `json:"logprobs"`
	FinishReason *string       `json:"finish_reason"`
}

// ChatResponse is a /v1/chat/completions answer or one of its stream chunks.
type ChatResponse struct {
	ID      string          `json:"id,omitempty"`
	Object  string          `json:"object,omitempty"`
	Created int64           `json:"created,omitempty"`
	Model   string          `json:"model,omitempty"`
	Choices []ChatChoice    `json:"choices"`
	Usage   *Usage          `json:"usage,omitempty"`
	Error   json.RawMessage `json:"error,omitempty"`
}

// ErrorBody is OpenAI's error object, {"error": {...}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what was wrong; Param names the request field at fault.
type ErrorDetail struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    int     `json:"code"`
}

// ModelList is the answer of GET /v1/models.
type ModelList struct {
	Object string      `json:"object"`
	Data   []ModelCard `json:"data"`
}

// ModelCard describes one served model.
type ModelCard struct {
	ID          string `json:"id"`
	Object      string `json:"object"`
	Created     int64  `json:"created"`
	OwnedBy     string `json:"owned_by"`
	MaxModelLen int    `json:"max_model_len,omitempty"`
}
