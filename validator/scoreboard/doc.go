// Package scoreboard keeps a validator's running score of every miner: an exponential moving average,
// per UID, of the scores its answers earned (package validator/scoring). A UID that changes hands (the
// metagraph shows another hotkey on it, after a deregistration and a new registration) starts again
// from zero, so a newcomer neither inherits nor is blamed for its predecessor's record.
//
// The average moves by alpha towards every new score: ema ← (1 − alpha)·ema + alpha·score. The default
// alpha, 0.1 (as Bittensor's reference validators use), lets a miner's average reach 0.65 of a new level
// in 10 answers and 0.88 in 20: steady enough that one unlucky timeout costs little, quick enough that a
// miner who stops serving well loses its weight within a few rounds.
package scoreboard
