// Package querystatus gives every Mindnet query service the same gRPC status codes for the same
// meaning, so that REST clients get the same HTTP status from every module: NotFound (404) for an
// unknown netuid, UID, hotkey or commit, InvalidArgument (400) for malformed input, FailedPrecondition
// (412) where the chain's state forbids the question, and Internal (500) only for real faults.
//
// Keepers keep returning their registered errors (transactions report those as ABCI codes, and tests
// match them with errors.Is); each module lists which of its errors mean what, and Server applies that
// list to every method of the module's Query service where the service is registered. A method added
// later is covered without any change here. The status message is the one clients read before: the
// registered error's text with its context, so that callers that match on it keep working.
package querystatus
