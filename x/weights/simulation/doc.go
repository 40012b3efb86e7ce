// Package simulation plugs x/weights into the SDK's simulator: a randomised genesis (gas per weight and
// the pending-commit bound) and message factories, in the SDK's simsx style, that read the state a
// message will meet and build only messages the chain must accept: set-weights on subnets with
// commit-reveal off, commits on those with it on, reveals of those commits inside their windows, and
// governance's params updates. Any refusal the simulator sees is therefore a bug.
package simulation
