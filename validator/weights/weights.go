package weights

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// MaxWeight is the largest u16 weight; the largest entry of every vector equals it.
const MaxWeight = math.MaxUint16

// FloorShare is the share of the row spread evenly over all candidates when too few have a score.
// It is small so that unscored UIDs stay far below scored ones.
const FloorShare = 0.01

// Errors for input FromScores cannot turn into a valid vector; each says what to change.
var (
	ErrNoCandidates  = errors.New("weights: no candidate UIDs to weigh")
	ErrDuplicateUID  = errors.New("weights: UID listed twice")
	ErrBadScore      = errors.New("weights: score must be a finite number ≥ 0")
	ErrBadLimits     = errors.New("weights: max_weight_limit must be at least 1")
	ErrCapInfeasible = errors.New("weights: too few candidate UIDs to keep every weight under max_weight_limit")
	ErrInvalid       = errors.New("weights: vector breaks the subnet's rules")
)

// Limits are the subnet's hyperparameters that bound a weight vector.
type Limits struct {
	MinAllowedWeights uint16
	MaxWeightLimit    uint16 // out of 65535
}

// Score is one candidate UID's score, any non-negative scale.
type Score struct {
	UID   uint16
	Value float64
}

// Vector is a weight row as submitted: UIDs increasing, weights non-zero, the largest 65535.
type Vector struct {
	UIDs    []uint16
	Weights []uint16
}

// FromScores converts scores into a vector that keeps lim; the package documentation gives the rules.
// The result depends only on the set of (UID, score) pairs, not on their order.
func FromScores(scores []Score, lim Limits) (Vector, error) {
	if lim.MaxWeightLimit == 0 {
		return Vector{}, ErrBadLimits
	}
	if len(scores) == 0 {
		return Vector{}, ErrNoCandidates
	}
	cands := slices.Clone(scores)
	slices.SortFunc(cands, func(a, b Score) int { return int(a.UID) - int(b.UID) })
	total := 0.0
	positive := 0
	for i, c := range cands {
		if i > 0 && cands[i-1].UID == c.UID {
			return Vector{}, fmt.Errorf("%w: %d", ErrDuplicateUID, c.UID)
		}
		if !(c.Value >= 0) || math.IsInf(c.Value, 0) {
			return Vector{}, fmt.Errorf("%w: UID %d has %v", ErrBadScore, c.UID, c.Value)
		}
		if c.Value > 0 {
			positive++
			total += c.Value
		}
	}
	n := len(cands)
	if !capFeasible(n, lim.MaxWeightLimit) {
		return Vector{}, fmt.Errorf("%w: %d candidates, max_weight_limit %d needs at least %d", ErrCapInfeasible, n, lim.MaxWeightLimit, minEntries(lim.MaxWeightLimit))
	}
	need := min(int(lim.MinAllowedWeights), n)

	x := make([]float64, n)
	for i, c := range cands {
		if c.Value > 0 {
			x[i] = c.Value / total
		}
	}
	if positive == 0 || positive < need || !capFeasible(positive, lim.MaxWeightLimit) {
		share := FloorShare
		if positive == 0 {
			share = 1
		}
		for i := range x {
			x[i] = (1-share)*x[i] + share/float64(n)
		}
	}
	if lim.MaxWeightLimit < MaxWeight {
		waterFill(x, float64(lim.MaxWeightLimit)/MaxWeight)
	}
	w := scale(x)
	if err := fixRounding(w, lim.MaxWeightLimit); err != nil {
		return Vector{}, err
	}
	var v Vector
	for i, c := range cands {
		if w[i] > 0 {
			v.UIDs = append(v.UIDs, c.UID)
			v.Weights = append(v.Weights, w[i])
		}
	}
	return v, nil
}

// minEntries is the fewest equal entries whose normalised share passes the cap.
func minEntries(limit uint16) int {
	for n := 1; ; n++ {
		if capFeasible(n, limit) {
			return n
		}
	}
}

// capFeasible reports whether n equal entries pass the cap check.
func capFeasible(n int, limit uint16) bool {
	return MaxWeight/uint64(n) <= uint64(limit)
}

// waterFill caps every share of x (summing to 1) at c and hands the excess to the uncapped positive
// shares in proportion to their size, until no share is above c. Callers ensure that the positive
// shares are enough to carry the whole mass under c.
func waterFill(x []float64, c float64) {
	capped := make([]bool, len(x))
	for {
		ncap, free := 0, 0.0
		for i, v := range x {
			if capped[i] {
				ncap++
			} else {
				free += v
			}
		}
		remaining := 1 - float64(ncap)*c
		if free <= 0 || remaining <= 0 {
			for i := range x {
				if capped[i] {
					x[i] = c
				}
			}
			return
		}
		f := remaining / free
		grew := false
		for i, v := range x {
			if !capped[i] && v*f > c {
				capped[i], grew = true, true
			}
		}
		if !grew {
			for i := range x {
				if capped[i] {
					x[i] = c
				} else {
					x[i] *= f
				}
			}
			return
		}
	}
}

// scale maps shares to u16 with the largest at 65535; a positive share never rounds to zero.
func scale(x []float64) []uint16 {
	top := slices.Max(x)
	w := make([]uint16, len(x))
	for i, v := range x {
		if v <= 0 {
			continue
		}
		w[i] = uint16(max(1, math.Round(v/top*MaxWeight)))
	}
	return w
}

// fixRounding raises entries below 65535, one unit at a time in UID order, until the largest entry
// passes the cap check; rounding can leave the row's sum a few units short.
func fixRounding(w []uint16, limit uint16) error {
	if limit == MaxWeight {
		return nil
	}
	var sum uint64
	for _, v := range w {
		sum += uint64(v)
	}
	top := uint64(slices.Max(w))
	// Smallest row sum S with floor(top·65535/S) ≤ limit.
	want := top*MaxWeight/(uint64(limit)+1) + 1
	for sum < want {
		raised := false
		for i := range w {
			if sum >= want {
				break
			}
			if w[i] > 0 && w[i] < MaxWeight {
				w[i]++
				sum++
				raised = true
			}
		}
		if !raised {
			return fmt.Errorf("%w: rounding left the largest weight above max_weight_limit %d", ErrCapInfeasible, limit)
		}
	}
	return nil
}

// Check applies the chain's rules for a weight row to v on a subnet of subnetSize UIDs: UIDs
// increasing and below subnetSize, one weight each, at least min(min_allowed_weights, subnetSize)
// non-zero weights, and the largest normalised weight within max_weight_limit.
func Check(v Vector, lim Limits, subnetSize int) error {
	if len(v.UIDs) != len(v.Weights) {
		return fmt.Errorf("%w: %d UIDs, %d weights", ErrInvalid, len(v.UIDs), len(v.Weights))
	}
	var sum, top uint64
	nonzero := 0
	for i, u := range v.UIDs {
		if int(u) >= subnetSize {
			return fmt.Errorf("%w: UID %d not in a subnet of %d", ErrInvalid, u, subnetSize)
		}
		if i > 0 && v.UIDs[i-1] >= u {
			return fmt.Errorf("%w: UIDs not strictly increasing at %d", ErrInvalid, u)
		}
		if v.Weights[i] > 0 {
			nonzero++
		}
		sum += uint64(v.Weights[i])
		top = max(top, uint64(v.Weights[i]))
	}
	if need := min(int(lim.MinAllowedWeights), subnetSize); nonzero < need {
		return fmt.Errorf("%w: %d non-zero weights, the subnet needs %d", ErrInvalid, nonzero, need)
	}
	if sum > 0 && lim.MaxWeightLimit < MaxWeight && top*MaxWeight/sum > uint64(lim.MaxWeightLimit) {
		return fmt.Errorf("%w: largest weight is %d/65535 of the row, above max_weight_limit %d", ErrInvalid, top*MaxWeight/sum, lim.MaxWeightLimit)
	}
	return nil
}
