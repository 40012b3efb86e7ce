// Package indexer follows the chain block by block and writes every subnet epoch into the store: it
// finds epochs in x/emission's emission_epoch block events, reads the subnet's metagraph at the epoch's
// height from the node, and commits both with its cursor. On a fresh store it starts at the oldest
// block the node keeps; after a restart it resumes at the block after its cursor. It reports each new
// block and epoch, and the node's going down and coming back, to a listener (the web server's live
// updates).
package indexer
