package web

import (
	"encoding/json"
	"sync"

	"github.com/mindnet/mindnet/explorer/indexer"
)

// hub fans the indexer's updates out to every open /events stream. A slow browser loses updates
// rather than slowing the indexer: its buffer is small and a full one drops the newest.
type hub struct {
	mu      sync.Mutex
	clients map[chan []byte]struct{}
	last    map[string][]byte // the latest update of each kind, replayed to new streams
}

func newHub() *hub {
	return &hub{clients: map[chan []byte]struct{}{}, last: map[string][]byte{}}
}

// publish encodes u as one server-sent event.
func (h *hub) publish(u indexer.Update) {
	data, _ := json.Marshal(struct {
		Height int64  `json:"height"`
		Netuid uint32 `json:"netuid"`
		Err    string `json:"err,omitempty"`
	}{u.Height, u.Netuid, u.Err})
	msg := []byte("event: " + u.Kind + "\ndata: " + string(data) + "\n\n")
	h.mu.Lock()
	defer h.mu.Unlock()
	switch u.Kind {
	case "down", "up":
		delete(h.last, "down")
		delete(h.last, "up")
	}
	if u.Kind != "epoch" {
		h.last[u.Kind] = msg
	}
	for c := range h.clients {
		select {
		case c <- msg:
		default:
		}
	}
}

func (h *hub) subscribe() (chan []byte, func()) {
	c := make(chan []byte, 16)
	h.mu.Lock()
	for _, kind := range []string{"block", "down"} {
		if m, ok := h.last[kind]; ok {
			c <- m
		}
	}
	h.clients[c] = struct{}{}
	h.mu.Unlock()
	return c, func() {
		h.mu.Lock()
		delete(h.clients, c)
		h.mu.Unlock()
	}
}

func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}
