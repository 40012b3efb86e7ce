package devnet

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
)

// shortenTempo edits a node's genesis so that every subnet, the root included, starts with a short
// tempo. Tempo is a governance-only hyperparameter, so a demo sets it where governance would: in the
// genesis parameters (x/subnet's default_hyperparameters). Commit-reveal stays on, as on any new subnet;
// the weights rate limit is half a tempo so that a validator can commit once per tempo; registration
// limits are raised so that the devnet registers its neurons in a few blocks.
func shortenTempo(path string, tempo uint64) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read genesis: %w", err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("genesis %s: %w", path, err)
	}
	var appState map[string]json.RawMessage
	if err := json.Unmarshal(doc["app_state"], &appState); err != nil {
		return fmt.Errorf("genesis app_state: %w", err)
	}
	var subnet map[string]any
	if err := json.Unmarshal(appState["subnet"], &subnet); err != nil {
		return fmt.Errorf("genesis app_state.subnet: %w", err)
	}
	params, _ := subnet["params"].(map[string]any)
	hp, _ := params["default_hyperparameters"].(map[string]any)
	if hp == nil {
		return fmt.Errorf("genesis %s has no app_state.subnet.params.default_hyperparameters", path)
	}
	hp["tempo"] = strconv.FormatUint(tempo, 10)
	hp["weights_rate_limit"] = strconv.FormatUint(tempo/2, 10)
	hp["max_registrations_per_block"] = 16
	hp["target_registrations_per_interval"] = 16
	hp["serving_rate_limit"] = "1"
	if appState["subnet"], err = json.Marshal(subnet); err != nil {
		return err
	}
	if doc["app_state"], err = json.Marshal(appState); err != nil {
		return err
	}
	out, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}
