// Package validator_test runs a real validator (package validator/service) against an in-process chain
// with three real miners: two serve the subnet's model with the built-in engine, one serves another
// model. The validator must score the honest miners above the odd one and land its weights on chain,
// first with MsgSetWeights and then, once the subnet owner turns commit-reveal on, by commit and reveal.
package validator_test
