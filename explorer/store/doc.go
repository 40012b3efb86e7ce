// Package store keeps the explorer's history: each subnet epoch's totals and every UID's results at
// that epoch, in an embedded Pebble database (the engine the chain itself uses), with the indexer's
// cursor written in the same batch so that a restart resumes exactly where the last run stopped. It
// keeps at most a configured number of epochs per subnet and deletes older ones as new ones arrive.
package store
