package verify

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/mindnet/mindnet/inference"
)

// scoreOnly hides the reference's ScoreMany, as an engine without
// prefix scoring (the OpenAI client) would.
type scoreOnly struct{ inference.Engine }

// failingBatch has a ScoreMany that always fails, so VerifyMany must fall
// back to one answer at a time.
type failingBatch struct{ inference.Engine }

func (failingBatch) ScoreMany(context.Context, []inference.ScoreJob) ([][]inference.Scored, error) {
	return nil, errors.New("batch refused")
}

// TestVerifyManyMatchesVerify: answers to one prompt from several miners,
// honest and not, get from VerifyMany the verdicts Verify gives them one by
// one, whether the reference scores them as a batch or not.
func TestVerifyManyMatchesVerify(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var items []Item
	for _, req := range []inference.Request{greedyReq, sampledReq, {Prompt: "fun in", MaxTokens: 24, Temperature: 0.8, TopP: 0.95, Seed: 4}} {
		honest, err := f.ref.Generate(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		other, err := f.other.Generate(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		short := clone(honest)
		short.Tokens = short.Tokens[:len(short.Tokens)/2]
		items = append(items, Item{req, honest}, Item{req, other}, Item{req, withText(f, short)})
	}
	// A request of another prompt in the batch leaves less shared, not
	// different verdicts; an invalid request is an error for itself alone.
	odd := inference.Request{Prompt: "x", MaxTokens: 8}
	oddAnswer, err := f.ref.Generate(ctx, odd)
	if err != nil {
		t.Fatal(err)
	}
	items = append(items, Item{odd, oddAnswer}, Item{inference.Request{Prompt: "x"}, oddAnswer})

	want := make([]Verdict, len(items))
	wantErr := make([]error, len(items))
	for i, it := range items {
		want[i], wantErr[i] = f.v.Verify(ctx, it.Request, it.Answer)
	}
	if wantErr[len(items)-1] == nil || !want[0].Pass || want[1].Pass || want[2].Pass {
		t.Fatalf("fixture: %v %+v %+v %+v", wantErr[len(items)-1], want[0], want[1], want[2])
	}
	for name, ref := range map[string]inference.Engine{"prefix scorer": f.ref, "no prefix scorer": scoreOnly{f.ref}, "failing batch": failingBatch{f.ref}} {
		v := f.v
		v.Reference = ref
		got, errs := v.VerifyMany(ctx, items)
		for i := range items {
			if (errs[i] == nil) != (wantErr[i] == nil) {
				t.Fatalf("%s: item %d: error %v, Verify's %v", name, i, errs[i], wantErr[i])
			}
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("%s: item %d: verdict %+v, Verify's %+v", name, i, got[i], want[i])
			}
		}
	}
}
