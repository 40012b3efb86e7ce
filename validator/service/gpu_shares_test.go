package service

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/mindnet/mindnet/validator/config"
	"github.com/mindnet/mindnet/validator/tasks"
)

// TestServerShares is the measuring half of scripts/gpu/check.sh: for an OpenAI-compatible server of
// the subnet's model (MINDNET_CHECK_HONEST_URL) and one of another model under the same name
// (MINDNET_CHECK_OTHER_URL), it answers the validator's tasks through the OpenAI engine as a miner does
// and verifies them as a validator does, with the tolerance MINDNET_CHECK_PRECISION names, and prints
// the share of honest answers accepted and of the other model's refused as JSON. It is skipped unless
// the script sets those variables.
func TestServerShares(t *testing.T) {
	honestURL, otherURL := os.Getenv("MINDNET_CHECK_HONEST_URL"), os.Getenv("MINDNET_CHECK_OTHER_URL")
	if honestURL == "" || otherURL == "" {
		t.Skip("run by scripts/gpu/check.sh")
	}
	precision := os.Getenv("MINDNET_CHECK_PRECISION")
	var cfg config.Config
	cfg.Engine.Kind, cfg.Engine.Precision = "builtin", precision
	_, verifier, err := NewReference(cfg)
	if err != nil {
		t.Fatal(err)
	}
	set, _ := tasks.Default()
	gen, _ := tasks.NewGenerator(set, tasks.DefaultConfig())
	share := func(url string) (accepted, total int) {
		var mc config.Config
		mc.Engine.Kind, mc.Engine.OpenAIURL, mc.Engine.Model, mc.Engine.TokenIDs = "openai", url, "gocode-tiny", os.Getenv("MINDNET_CHECK_TOKEN_IDS") == "1"
		miner, _, err := NewReference(mc) // the OpenAI engine a miner builds, with the model folder's tokenizer
		if err != nil {
			t.Fatal(err)
		}
		for i := uint32(0); i < 40; i++ {
			task := gen.Task(7, i, "check")
			answer, err := miner.Generate(context.Background(), task.Request)
			total++
			if err != nil {
				continue // a miner that cannot answer earns nothing for it
			}
			if vd, err := verifier.Verify(context.Background(), task.Request, answer); err == nil && vd.Pass {
				accepted++
			}
		}
		return accepted, total
	}
	ha, ht := share(honestURL)
	oa, ot := share(otherURL)
	out, _ := json.Marshal(map[string]any{"precision": precision, "honest_accepted": float64(ha) / float64(ht),
		"other_model_refused": 1 - float64(oa)/float64(ot), "tasks": ht})
	t.Logf("RESULT %s", out)
}
