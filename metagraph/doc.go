// Package metagraph keeps an off-chain process's view of one subnet's metagraph: who holds which UID,
// with what stake and validator permit, and where each miner serves. The miner uses it to decide who
// may call it; the validator uses it to find miners to query. The view is refreshed from a chain node
// on a timer; when the node is unreachable, refreshes back off exponentially and the last good view
// keeps serving until it is older than a bound, after which lookups fail rather than act on stale
// permissions.
package metagraph
