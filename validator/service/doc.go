// Package service is the running validator: it wires the metagraph cache, the task generator, the
// reference engine and scorer, the round runner, the scoreboard, the weight submitter and the state
// file together, serves Prometheus metrics and /healthz, and stops cleanly when its context ends.
// cmd/mindnet-validator only turns flags into a config.Config and calls New and Run, or Status.
//
// Three loops run side by side: the metagraph refresh (package metagraph), rounds every
// round.interval (package validator/round: query, verify, fold the scores into the moving averages,
// save), and a check every weights.check_interval whether a weight transaction is due (package
// validator/submit). The scoreboard is shared by the last two under a mutex; everything they change
// is saved to the state file before the change counts.
package service
