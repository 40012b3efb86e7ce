// Package simulation plugs x/subnet into the SDK's simulator: a randomised genesis (module params and
// new-subnet defaults small enough that subnets fill up, prune and get replaced within a short run,
// and two or three subnets with staked validators and short tempos, so that x/weights and x/emission
// have work from the first blocks)
// and weighted message factories, in the SDK's simsx style, that build messages the chain should
// accept from the state they read, so that every refusal the simulator sees is a bug.
package simulation
