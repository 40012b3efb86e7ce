// Package state keeps what a validator must not forget across a restart: every miner's score average,
// the weight commits it has made but not yet revealed (with their salts), and its last submission.
// The state lives in one JSON file that is replaced atomically (written to a temporary file in the
// same folder, synced, renamed over the old one, and the folder synced), so that a crash at any point
// leaves either the old state or the new one, never a mix. `mindnet-validator status` reads the same
// file.
package state
