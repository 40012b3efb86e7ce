// Package weights turns a validator's per-UID scores into the weight vector it submits to the chain:
// parallel lists of UIDs and u16 weights, sparse (zero weights left out), in increasing UID order,
// scaled so that the largest entry is 65535, as subtensor stores weight rows and as x/weights expects.
//
// The vector keeps the subnet's two limits:
//
//   - max_weight_limit: no UID may hold more than max_weight_limit/65535 of the row once the chain
//     normalises it. Check applies subtensor's test, floor(w·65535/Σw) ≤ max_weight_limit for the largest
//     w. Scores above the cap are cut to it and the excess goes to the other scored UIDs in proportion to
//     their scores, repeatedly, until none is above it (water-filling); rounding is then corrected by
//     raising uncapped entries by the few units needed.
//   - min_allowed_weights: at least min(min_allowed_weights, number of candidate UIDs) entries must be
//     non-zero. When fewer UIDs have a non-zero score (or too few to spread the mass under the cap),
//     FloorShare of the mass is spread evenly over every candidate UID and the scores share the rest.
//     With no score at all, the vector is uniform over the candidates. Where even that cannot keep the
//     cap (fewer candidates than 65535/max_weight_limit), FromScores returns ErrCapInfeasible.
//
// Candidates are every UID the validator scores, zero scores included; pass the whole subnet so that
// the minimum counts against the same size as the chain's rule.
package weights
