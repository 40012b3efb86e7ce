package types

// Event types and attribute keys that x/weights emits.
const (
	EventTypeWeightsSet = "weights_set"
	EventTypeRowCleared = "weights_row_cleared"

	AttributeKeyNetuid  = "netuid"
	AttributeKeyUID     = "uid"
	AttributeKeyHotkey  = "hotkey"
	AttributeKeyEntries = "entries"
	AttributeKeyHeight  = "height"
)
