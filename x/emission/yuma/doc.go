// Package yuma is Mindnet's Yuma consensus epoch: a pure function, Epoch, that turns a
// subnet's stake, weights and bonds into consensus, incentive, dividends, emission,
// validator permits and new bonds. It knows nothing of the chain: plain structs in, plain
// structs out, integer and fixed-point arithmetic only, no maps reaching the output, no
// goroutines, and memory proportional to the number of neurons and non-zero weights. The
// x/emission keeper calls it every tempo; `mindnetd debug yuma --input FILE` calls it
// through RunJSON so that anyone can check the chain's numbers.
//
// # Numbers
//
// Everything is computed in Fixed, a signed number with 32 integer and 32 fractional bits
// (subtensor's I32F32), rounding exactly as subtensor's substrate_fixed does:
// multiplication floors, division truncates, addition saturates, and a division by zero
// gives 0. Stake is normalised in 128-bit integers and emission is paid in 128-bit
// integers, as subtensor does in I64F64 and I96F32. Stored u16 fractions are parts of
// 65535. The result is the same as subtensor's sparse epoch (run_epoch.rs, math.rs) bit
// for bit on the same input: the tests replay subtensor's epoch tests and match the bond
// integers it asserts.
//
// # The epoch, step by step
//
// With n neurons, stake S, previous permits P, weight rows W and bond rows B:
//
//  1. Activity. A neuron is active if it set weights within activity_cutoff blocks:
//     last_update + activity_cutoff ≥ block.
//  2. Stake. Stake below min_validator_stake counts as 0; the rest is normalised to sum
//     to 1 (s_i).
//  3. New permits. The max_allowed_validators neurons with the most stake, never one with
//     zero stake, get a permit for the next epoch. A tie at the cut goes to the higher UID
//     (subtensor's stable ascending sort withdraws the lower UIDs first).
//  4. Active stake. s_i kept only for active neurons holding a permit from the previous
//     epoch, renormalised: the voting power a_i.
//  5. Weight masks. Dropped: rows of neurons without a previous permit; self-weights;
//     weights set before their target registered (last_update_i ≤ registered_at_j), which
//     were meant for the UID's previous holder. On commit-reveal subnets the caller also
//     leaves out weights whose commit predates the target's registration.
//  6. Row normalisation. Each validator's remaining weights are divided by their sum.
//  7. Consensus. For each miner j, c_j is the stake-weighted median of the weights it
//     received at kappa: the largest weight that validators holding at least kappa of the
//     active stake gave j or more. Precisely, with the minority m = Σa − kappa, c_j is the
//     smallest weight whose cumulative stake (the stake on weights at or below it,
//     counting validators that gave j nothing as weight 0) exceeds m.
//  8. Clipping. Every weight above c_j is cut down to c_j (and dropped if c_j = 0).
//  9. Rank, trust, incentive. rank_j = Σ_i a_i·clipped_ij normalised to sum to 1;
//     incentive = rank; trust_j = Σ_i a_i·clipped_ij / Σ_i a_i·w_ij, the part of a miner's
//     support that survived clipping.
//  10. Validator trust. vtrust_i = Σ_j clipped_ij, the part of a validator's weight that
//     agreed with consensus.
//  11. Bonds. The weights bonds are built from move from W toward the clipped weights by
//     bonds_penalty (0: raw weights, 65535: clipped). Bonds held in neurons that
//     registered since the previous epoch are first dropped, so a UID's new holder
//     inherits none. Then, with α = 1 − bonds_moving_average/10^6:
//     Classic: old bonds (stored column max-upscaled) and the delta a_i·w_ij are each
//     column-normalised; the bonds become α·delta + (1−α)·old, column-normalised again.
//     Yuma 3: each bond is a fraction in [0,1] and moves on its own toward its weight,
//     b ← α·w + (1−α)·b; with liquid alpha, α is chosen per bond between alpha_low and
//     alpha_high by a sigmoid of how far the validator's weight is from consensus
//     (buying) or from its bond (selling), so that validators who move first toward a
//     miner that later earns consensus are rewarded.
//  12. Dividends. Classic: d_i = Σ_j b_ij·incentive_j. Yuma 3: d_i = a_i·Σ_j
//     (b_ij/Σ_k b_kj)·incentive_j. Both normalised to sum to 1.
//  13. Emission. Incentive and dividends each sum to 1, so miners take half of the
//     emission by incentive and validators half by dividends. With neither (no weights
//     yet, only self-weights, only outdated weights) validators take it all by active
//     stake, or by stake if none is active. Each part is rounded down to a umind.
//  14. Pruning score. Each neuron's share of the whole emission; the lowest is replaced
//     first when the subnet is full.
//  15. Storage. Bonds are kept only by neurons with a new permit: classic bonds with each
//     column scaled so that its largest entry is 65535, Yuma 3 bonds as fractions of
//     65535, both rounded down.
//
// # Where Mindnet differs from subtensor, and why
//
//   - Dust. subtensor rounds each neuron's emission down and lets the remainder vanish.
//     Mindnet keeps the same rounded parts (ServerEmission, ValidatorEmission) and gives
//     the remainder (Output.Dust, a few umind per neuron at most) to the single largest
//     part, lowest UID first on a tie, so that the emission paid equals the emission
//     minted. Only when every part is 0 does Output.DustUID read −1: nobody earned
//     anything and the caller keeps the emission.
//   - Malformed input is refused with a *FieldError (UID out of range, duplicate UID in a
//     row, impossible parameters, total stake above 2^63−1) where subtensor silently skips
//     entries. Rows may arrive in any UID order; they are sorted first, and output rows are
//     sorted by UID.
//   - Rank, trust and pruning score are computed as subtensor computed them before it
//     dropped them from its epoch in 2025 (rank = incentive, trust = clipped/unclipped
//     support, pruning score = normalised combined emission, here unscaled).
//   - Not modelled: the subnet owner's hotkey (subtensor grants it a permit and keeps its
//     self-weight); Mindnet's subnets have no such UID.
//
// Two of subtensor's behaviours are kept on purpose because agreeing with it matters
// more: with liquid alpha, a Yuma 3 bond whose validator has no entry at all for the miner
// is dropped instead of decayed (an explicit weight of 0 decays it); and liquid alpha has
// no effect in classic mode, as in current subtensor. The exponential in the liquid
// alpha sigmoid is substrate_fixed's 31-term Taylor series, rounded step by step, so its
// results match bit for bit, including its 0.8% shortfall at the ±20 clamp.
//
// # Cost
//
// Every step is linear in the number of non-zero weights and bonds, and memory is
// proportional to them. Consensus selects a stake-weighted median per miner by radix
// selection over the weights' bits (at most five passes over the column), gathering the
// columns a band at a time so that each band is selected while still in cache. Steps
// that subtensor runs one after another over the whole matrix are fused into single
// passes that round every entry exactly as the separate passes do: masking and row
// normalisation; clipping, rank, trust, the bonds penalty and (classic) the stake-scaled
// bond delta; the EMA with the normalisation of both its inputs; and the EMA's
// normalisation with dividends, the column max-upscale and the u16 encoding. The EMA is
// written over the memory of the weights when that has room, and stored bond rows that
// need neither sorting nor masking are read in place. Divisions by a shared sum use a
// reciprocal that gives the exact truncated quotient, and multiplications of fractions
// known to lie in [0, 1] skip Fixed.Mul's sign and saturation handling. oracle_test.go
// keeps the unfused implementation, and the tests check that both agree bit for bit.
package yuma
