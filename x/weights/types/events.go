package types

// Event types and attribute keys that x/weights emits.
const (
	EventTypeWeightsSet       = "weights_set"
	EventTypeRowCleared       = "weights_row_cleared"
	EventTypeWeightsCommitted = "weights_committed"
	EventTypeWeightsRevealed  = "weights_revealed"
	// EventTypeCommitsExpired counts commits dropped unrevealed after their window.
	EventTypeCommitsExpired = "weights_commits_expired"
	EventTypeParamsUpdated  = "weights_params_updated"

	AttributeKeyNetuid         = "netuid"
	AttributeKeyUID            = "uid"
	AttributeKeyHotkey         = "hotkey"
	AttributeKeyEntries        = "entries"
	AttributeKeyHeight         = "height"
	AttributeKeyCommitHash     = "commit_hash"
	AttributeKeyRevealStart    = "reveal_start"
	AttributeKeyRevealEnd      = "reveal_end"
	AttributeKeyCommittedAt    = "committed_at"
	AttributeKeyDroppedEntries = "dropped_entries"
	AttributeKeyCount          = "count"
)
